// Assembly-level declarations of Agno.SemanticKernel.Agents.
namespace Agno.SemanticKernel;
