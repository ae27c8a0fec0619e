using System.Text.Json.Serialization;

namespace Agno.AgentOS.Internal;

/// <summary>The source-generated JSON context of approvals, checkpoints, traces, schedules, learnings, service accounts, components and the registry.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    Converters = [typeof(UnixOrIsoDateTimeOffsetConverter)])]
[JsonSerializable(typeof(Approval))]
[JsonSerializable(typeof(Page<Approval>))]
[JsonSerializable(typeof(ApprovalStatusInfo))]
[JsonSerializable(typeof(ApprovalCount))]
[JsonSerializable(typeof(ApprovalResolutionBody))]
[JsonSerializable(typeof(RunCheckpointList))]
[JsonSerializable(typeof(CheckpointSnapshotBody))]
[JsonSerializable(typeof(SessionFork))]
[JsonSerializable(typeof(Page<TraceSummary>))]
[JsonSerializable(typeof(TraceDetail))]
[JsonSerializable(typeof(TraceSpan))]
[JsonSerializable(typeof(Page<TraceSessionStats>))]
[JsonSerializable(typeof(TraceFilterSchema))]
[JsonSerializable(typeof(TraceSearchBody))]
[JsonSerializable(typeof(Schedule))]
[JsonSerializable(typeof(Page<Schedule>))]
[JsonSerializable(typeof(ScheduleRun))]
[JsonSerializable(typeof(Page<ScheduleRun>))]
[JsonSerializable(typeof(CreateScheduleRequest))]
[JsonSerializable(typeof(UpdateScheduleRequest))]
[JsonSerializable(typeof(Learning))]
[JsonSerializable(typeof(Page<Learning>))]
[JsonSerializable(typeof(Page<LearningUser>))]
[JsonSerializable(typeof(CreateLearningRequest))]
[JsonSerializable(typeof(UpdateLearningRequest))]
[JsonSerializable(typeof(ServiceAccount))]
[JsonSerializable(typeof(Page<ServiceAccount>))]
[JsonSerializable(typeof(CreateServiceAccountRequest))]
[JsonSerializable(typeof(Component))]
[JsonSerializable(typeof(Page<Component>))]
[JsonSerializable(typeof(ComponentConfig))]
[JsonSerializable(typeof(List<ComponentConfig>))]
[JsonSerializable(typeof(CreateComponentRequest))]
[JsonSerializable(typeof(UpdateComponentRequest))]
[JsonSerializable(typeof(ComponentConfigRequest))]
[JsonSerializable(typeof(Page<RegistryEntry>))]
internal sealed partial class AgentOSPlatformJsonContext : JsonSerializerContext
{
}
