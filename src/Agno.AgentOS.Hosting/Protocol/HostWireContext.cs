using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// The source-generated context of the wire objects the host writes (snake_case names). Every property is written,
/// null included, as agno writes its dataclasses; a property agno leaves out when unset says so with
/// <c>[JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]</c>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    Converters = [typeof(RunStatusConverter)])]
[JsonSerializable(typeof(ModelPayload))]
[JsonSerializable(typeof(ModelCompletedPayload))]
[JsonSerializable(typeof(ToolStartedPayload))]
[JsonSerializable(typeof(ToolCompletedPayload))]
[JsonSerializable(typeof(RunPausedPayload))]
[JsonSerializable(typeof(RunCompletedPayload))]
[JsonSerializable(typeof(RunCancelledPayload))]
[JsonSerializable(typeof(RunErrorPayload))]
[JsonSerializable(typeof(WorkflowErrorPayload))]
[JsonSerializable(typeof(ToolCallMetrics))]
[JsonSerializable(typeof(RunMetrics))]
[JsonSerializable(typeof(AgentOSRunSummary))]
[JsonSerializable(typeof(StepRequirementFields))]
[JsonSerializable(typeof(MediaItemFields))]
[JsonSerializable(typeof(WorkflowResumeState))]
[JsonSerializable(typeof(WorkflowMetricsFields))]
[JsonSerializable(typeof(DelegationArguments))]
[JsonSerializable(typeof(TextInputBody))]
[JsonSerializable(typeof(CurrentRunStateFields))]
[JsonSerializable(typeof(StoredRunFields))]
[JsonSerializable(typeof(RunInputFields))]
[JsonSerializable(typeof(RunSchemaBody))]
[JsonSerializable(typeof(WorkflowRunSchemaBody))]
[JsonSerializable(typeof(SessionPageBody))]
[JsonSerializable(typeof(AgentSessionDetailBody))]
[JsonSerializable(typeof(TeamSessionDetailBody))]
[JsonSerializable(typeof(WorkflowSessionDetailBody))]
[JsonSerializable(typeof(CreateSessionRequestBody))]
[JsonSerializable(typeof(UpdateSessionRequestBody))]
[JsonSerializable(typeof(Dictionary<string, StepMetricsBody>))]
[JsonSerializable(typeof(MessageBody))]
[JsonSerializable(typeof(List<UserInputFieldBody>))]
[JsonSerializable(typeof(CurrentRunState))]
[JsonSerializable(typeof(MetricsDetails))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(ExecutorStepResultBody))]
[JsonSerializable(typeof(FunctionStepResultBody))]
[JsonSerializable(typeof(StepMetricsBody))]
[JsonSerializable(typeof(WorkflowRunBody))]
[JsonSerializable(typeof(WorkflowMetricsBody))]
[JsonSerializable(typeof(StepRequirementBody))]
[JsonSerializable(typeof(StepPausedPayload))]
[JsonSerializable(typeof(WorkflowPausedPayload))]
[JsonSerializable(typeof(StepOutputPayload))]
[JsonSerializable(typeof(StepCompletedPayload))]
[JsonSerializable(typeof(WorkflowCompletedPayload))]
[JsonSerializable(typeof(WorkflowCancelledPayload))]
[JsonSerializable(typeof(AgentRunBody))]
[JsonSerializable(typeof(ChatResumeState))]
[JsonSerializable(typeof(TeamRunBody))]
[JsonSerializable(typeof(DetailBody))]
[JsonSerializable(typeof(ValidationBody))]
[JsonSerializable(typeof(RemoteDetailBody))]
[JsonSerializable(typeof(JwtTimeClaims))]
[JsonSerializable(typeof(ApprovalBody))]
[JsonSerializable(typeof(Page<ApprovalBody>))]
[JsonSerializable(typeof(ApprovalStatusBody))]
[JsonSerializable(typeof(ApprovalCountBody))]
[JsonSerializable(typeof(ApprovalResolveBody))]
[JsonSerializable(typeof(ApprovalContextBody))]
[JsonSerializable(typeof(RunInputBody))]
[JsonSerializable(typeof(HealthBody))]
[JsonSerializable(typeof(InfoBody))]
[JsonSerializable(typeof(ConfigBody))]
[JsonSerializable(typeof(List<ModelRef>))]
[JsonSerializable(typeof(ComponentSummaryBody))]
[JsonSerializable(typeof(AgentBody))]
[JsonSerializable(typeof(TeamBody))]
[JsonSerializable(typeof(WorkflowBody))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class HostWireContext : JsonSerializerContext
{
}
