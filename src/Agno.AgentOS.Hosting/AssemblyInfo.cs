// Assembly-level declarations of Agno.AgentOS.Hosting.
namespace Agno.AgentOS.Hosting;
