// Assembly-level declarations of Agno.Extensions.AI.
namespace Agno.Extensions.AI;
