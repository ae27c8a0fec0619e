// Assembly-level declarations of Agno.SemanticKernel.
namespace Agno.SemanticKernel;
