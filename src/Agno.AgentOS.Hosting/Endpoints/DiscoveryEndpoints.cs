using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary><c>/</c>, <c>/health</c>, <c>/info</c>, <c>/config</c>, <c>/models</c> and the agent, team and workflow descriptions.</summary>
internal static class DiscoveryEndpoints
{
    private const string SessionTable = "agno_sessions";

    public static Task Home(HttpContext context, AgentOSRuntime runtime)
        => Wire.WriteJsonAsync(context, runtime.Options.SpeaksAgno3
            ? new ApiHome { Name = runtime.Options.Name ?? "AgentOS API", Health = "/health", Info = "/info", Docs = "/docs" }
            : new ApiHome { Name = "AgentOS API", Id = runtime.Options.OsId, Version = runtime.Options.Version },
            AgentOSJsonUtilities.DefaultOptions.GetTypeInfo<ApiHome>());

    public static Task Health(HttpContext context, AgentOSRuntime runtime)
        => Wire.WriteJsonAsync(context, new HealthBody("ok", Wire.IsoMicrosZ(runtime.InstantiatedAt)), HostWireContext.Default.HealthBody);

    public static Task Info(HttpContext context, AgentOSRuntime runtime)
    {
        var o = runtime.Options;
        var registry = runtime.Registry;
        return Wire.WriteJsonAsync(context, new InfoBody
        {
            OsId = o.OsId,
            Name = o.Name,
            OsVersion = o.SpeaksAgno3 ? o.Version : null,
            AgnoVersion = o.AgnoVersion,
            AgentCount = registry.Of(ComponentKind.Agent).Count(),
            TeamCount = registry.Of(ComponentKind.Team).Count(),
            WorkflowCount = registry.Of(ComponentKind.Workflow).Count(),
            AuthMode = o.Authorization.Enabled ? "jwt" : string.IsNullOrEmpty(o.SecurityKey) ? "none" : "security_key",
        }, HostWireContext.Default.InfoBody);
    }

    public static async Task Config(HttpContext context, AgentOSRuntime runtime)
    {
        var o = runtime.Options;

        // agno 2.9 lists model ids (none unless configured); 3.x lists the components' models as {id, provider}
        List<ModelRef> availableModels = [];
        if (o.SpeaksAgno3)
        {
            if (await ModelListAsync(runtime, context).ConfigureAwait(false) is not { } listed)
            {
                return;
            }

            availableModels = listed;
        }

        var agents = new List<ComponentSummaryBody>();
        var teams = new List<ComponentSummaryBody>();
        var workflows = new List<ComponentSummaryBody>();
        foreach (var entry in runtime.Registry.All)
        {
            ComponentSummaryBody summary;
            try
            {
                summary = await SummaryAsync(entry, runtime, context).ConfigureAwait(false);
            }
            catch (AgentOSException ex)
            {
                Log.RemoteFailed(runtime.Logger, ex, entry.Kind.ToString(), entry.Id);
                await Wire.WriteDetailAsync(context, StatusCodes.Status502BadGateway, $"Failed to fetch config from remote AgentOS: {ex.Message}").ConfigureAwait(false);
                return;
            }

            (entry.Kind switch { ComponentKind.Agent => agents, ComponentKind.Team => teams, _ => workflows }).Add(summary);
        }

        // Remote components keep their sessions in their own databases: list those too (agno's RemoteAgent.db
        // looks its db_id up here, and the session routes forward requests naming them).
        var databases = new List<string> { o.DatabaseId };
        databases.AddRange(agents.Concat(teams).Concat(workflows)
            .Where(c => runtime.Registry.All.Any(e => e.IsRemote && e.Id == c.Id))
            .Select(c => c.DbId)
            .OfType<string>()
            .Where(db => db != o.DatabaseId)
            .Distinct(StringComparer.Ordinal));
        await Wire.WriteJsonAsync(context, new ConfigBody
        {
            OsId = o.OsId,
            Description = o.Description,
            AvailableModels = availableModels,
            OsDatabase = o.DatabaseId,
            Databases = databases,
            Session = new SessionDomain([.. databases.Select(db => new DatabaseRef(db, new DomainDisplay(db), [SessionTable]))]),
            Agents = agents,
            Teams = teams,
            Workflows = workflows,
        }, HostWireContext.Default.ConfigBody).ConfigureAwait(false);
    }

    public static async Task Models(HttpContext context, AgentOSRuntime runtime)
    {
        if (runtime.Options.SpeaksAgno3)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status404NotFound, "Not Found").ConfigureAwait(false); // agno 3.x removed /models
            return;
        }

        if (await ModelListAsync(runtime, context).ConfigureAwait(false) is { } models)
        {
            await Wire.WriteJsonAsync(context, models, HostWireContext.Default.ListModelRef).ConfigureAwait(false);
        }
    }

    /// <summary>The models of the components (remote ones as their servers list them), or null after writing a remote failure.</summary>
    private static async Task<List<ModelRef>?> ModelListAsync(AgentOSRuntime runtime, HttpContext context)
    {
        var models = new List<ModelRef>();
        var seen = new HashSet<(string?, string?)>();
        foreach (var entry in runtime.Registry.All)
        {
            (string? Model, string? Provider)? model = entry switch
            {
                { Agent: { } a } => ChatSpec.ModelOf(a),
                { Team: { } t } => ChatSpec.ModelOf(t),
                _ => null,
            };
            if (entry.IsRemote && entry.Kind != ComponentKind.Workflow)
            {
                try
                {
                    // the model /config lists for the remote component
                    var summary = await SummaryAsync(entry, runtime, context).ConfigureAwait(false);
                    model = summary.Model is { } m ? (m.Id, m.Provider) : null;
                }
                catch (AgentOSException ex)
                {
                    Log.RemoteFailed(runtime.Logger, ex, entry.Kind.ToString(), entry.Id);
                    await GatewayRunner.WriteRemoteErrorAsync(context, ex).ConfigureAwait(false);
                    return null;
                }
            }

            if (model is { Model: not null } found && seen.Add((found.Model, found.Provider)))
            {
                models.Add(new ModelRef(found.Model, found.Provider));
            }
        }

        return models;
    }

    public static async Task List(HttpContext context, AgentOSRuntime runtime, ComponentKind kind)
    {
        var list = new JsonArray();
        var caller = AgentOSCaller.Of(context);
        foreach (var entry in runtime.Registry.Of(kind))
        {
            if (caller?.MaySee(entry.Id) == false)
            {
                continue; // RBAC: a token with per-resource scopes lists only those resources
            }

            try
            {
                list.Add(await DescribeAsync(entry, runtime, context, summary: kind == ComponentKind.Workflow).ConfigureAwait(false));
            }
            catch (AgentOSException ex)
            {
                Log.RemoteFailed(runtime.Logger, ex, entry.Kind.ToString(), entry.Id);
                await GatewayRunner.WriteRemoteErrorAsync(context, ex).ConfigureAwait(false);
                return;
            }
        }

        await Wire.WriteJsonAsync(context, list).ConfigureAwait(false);
    }

    public static async Task Get(HttpContext context, AgentOSRuntime runtime, ComponentKind kind)
    {
        if (await context.FindComponentAsync(runtime, kind).ConfigureAwait(false) is not { } entry)
        {
            return;
        }

        try
        {
            await Wire.WriteJsonAsync(context, await DescribeAsync(entry, runtime, context, summary: false).ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (AgentOSException ex)
        {
            Log.RemoteFailed(runtime.Logger, ex, entry.Kind.ToString(), entry.Id);
            await GatewayRunner.WriteRemoteErrorAsync(context, ex).ConfigureAwait(false);
        }
    }

    private static async Task<JsonNode> DescribeAsync(ComponentEntry entry, AgentOSRuntime runtime, HttpContext context, bool summary)
    {
        var db = runtime.Options.DatabaseId;
        switch (entry)
        {
            case { Agent: { } agent }:
                return ToNode(AgentResponse(agent, db, asMember: false), HostWireContext.Default.AgentBody);
            case { Team: { } team }:
                return ToNode(TeamResponse(team, db), HostWireContext.Default.TeamBody);
            case { Workflow: { } workflow }:
                return summary
                    ? ToNode(WorkflowSummary(workflow, db), HostWireContext.Default.ComponentSummaryBody)
                    : ToNode(WorkflowResponse(workflow, db), HostWireContext.Default.WorkflowBody);
            case { RemoteWorkflow: { } remote } when summary:
                var details = await remote.GetDetailsAsync(context.RequestAborted).ConfigureAwait(false);
                return ToNode(new ComponentSummaryBody
                {
                    Id = details.Id ?? entry.Id,
                    Name = details.Name ?? entry.Id,
                    Description = details.Description,
                    DbId = details.DbId,
                    IsFactory = details.IsFactory ?? false,
                    IsComponent = details.IsComponent ?? false,
                }, HostWireContext.Default.ComponentSummaryBody);
            case { Remote: { } remote }:
                // A remote component is described as its server describes it.
                return RemoteJson.ToNode(await remote.GetDetailsAsync(context.RequestAborted).ConfigureAwait(false)) ?? new JsonObject();
            default:
                throw new InvalidOperationException("Unknown component.");
        }
    }

    private static async Task<ComponentSummaryBody> SummaryAsync(ComponentEntry entry, AgentOSRuntime runtime, HttpContext context)
    {
        var db = runtime.Options.DatabaseId;
        switch (entry)
        {
            case { Agent: { } a }:
                var (am, ap) = ChatSpec.ModelOf(a);
                return new ComponentSummaryBody { Id = a.Id, Name = a.Name ?? a.Id, Description = a.Description, DbId = db, Model = new ModelRef(am, ap) };
            case { Team: { } t }:
                var (tm, tp) = ChatSpec.ModelOf(t);
                return new ComponentSummaryBody { Id = t.Id, Name = t.Name ?? t.Id, Description = t.Description, DbId = db, Mode = "coordinate", Model = new ModelRef(tm, tp) };
            case { Workflow: { } w }:
                return WorkflowSummary(w, db);
            case { Remote: { } remote }:
                var details = await remote.GetDetailsAsync(context.RequestAborted).ConfigureAwait(false);
                bool workflow = entry.Kind == ComponentKind.Workflow;
                return new ComponentSummaryBody
                {
                    Id = entry.Id,
                    Name = details.Name ?? entry.Id,
                    Description = details.Description,
                    DbId = details.DbId,
                    Mode = (details as TeamDetails)?.Mode,
                    Model = !workflow && (details as AgentDetails)?.Model is { } m ? new ModelRef(m.ModelId ?? m.Id, m.Provider) : null,
                    IsFactory = workflow ? details.IsFactory ?? false : null,
                    IsComponent = workflow ? details.IsComponent ?? false : null,
                };
            default:
                throw new InvalidOperationException("Unknown component.");
        }
    }

    public static AgentBody AgentResponse(HostedAgent agent, string db, bool asMember)
    {
        var (modelId, provider) = ChatSpec.ModelOf(agent);
        return new AgentBody
        {
            Id = agent.Id,
            Name = agent.Name ?? agent.Id,
            DbId = db,
            Description = agent.Description,
            Role = agent.Role,
            Model = new ModelBody(ChatSpec.ModelClassName(agent.ChatClient), modelId, provider),
            Tools = agent.Tools.Count > 0 ? new ToolsBody([.. agent.Tools.Select(ToolDefinition)]) : null,
            Sessions = new SessionsBody(SessionTable) { AddHistoryToContext = agent.AddHistoryToContext && !asMember ? true : null },
            SystemMessage = asMember ? null : SystemMessage(agent),
            Metadata = (JsonObject?)agent.Metadata?.DeepClone(),
        };
    }

    private static TeamBody TeamResponse(HostedTeam team, string db)
    {
        var (modelId, provider) = ChatSpec.ModelOf(team);
        return new TeamBody
        {
            Id = team.Id,
            Name = team.Name ?? team.Id,
            DbId = db,
            Description = team.Description,
            Model = new ModelBody(ChatSpec.ModelClassName(team.Leader), modelId, provider),
            Tools = new ToolsBody([ToolDefinition(ChatSpec.DelegateTool), .. team.Tools.Select(ToolDefinition)]),
            Sessions = new SessionsBody(SessionTable) { AddHistoryToContext = team.AddHistoryToContext ? true : null },
            SystemMessage = SystemMessage(team),
            Members = [.. team.Members.Select(m => AgentResponse(m, db, asMember: true))],
            Metadata = (JsonObject?)team.Metadata?.DeepClone(),
        };
    }

    private static SystemMessageBody? SystemMessage(HostedChatComponent component)
        => component.Description is null && component.Instructions is null
            ? null
            : new SystemMessageBody { Description = component.Description, Instructions = component.Instructions };

    private static ComponentSummaryBody WorkflowSummary(HostedWorkflow workflow, string db) => new()
    {
        Id = workflow.Id,
        Name = workflow.Name ?? workflow.Id,
        Description = workflow.Description,
        DbId = db,
        IsFactory = false,
        IsComponent = false,
    };

    private static WorkflowBody WorkflowResponse(HostedWorkflow workflow, string db) => new()
    {
        Id = workflow.Id,
        Name = workflow.Name ?? workflow.Id,
        DbId = db,
        Description = workflow.Description,
        Steps = [.. workflow.Steps.Select(step => new StepBody
        {
            Name = step.Name,
            Description = step.Description,
            Agent = step.Agent is { } agent ? StepAgent(agent) : null,
            Team = step.Agent is null && step.Team is { } team ? new StepTeamBody(team.Id, team.Name ?? team.Id, IsFactory: false, IsComponent: false) : null,
        })],
        Metadata = (JsonObject?)workflow.Metadata?.DeepClone(),
    };

    private static StepAgentBody StepAgent(HostedAgent agent)
    {
        var (modelId, provider) = ChatSpec.ModelOf(agent);
        return new StepAgentBody(agent.Id, agent.Name ?? agent.Id, IsFactory: false, new ModelBody(ChatSpec.ModelClassName(agent.ChatClient), modelId, provider), IsComponent: false);
    }

    private static ToolDefinitionBody ToolDefinition(AITool tool)
    {
        var declaration = tool as AIFunctionDeclaration;
        return new ToolDefinitionBody
        {
            Name = tool.Name,
            Description = tool.Description,
            Parameters = declaration is null ? null : JsonNode.Parse(declaration.JsonSchema.GetRawText()),
            RequiresConfirmation = declaration is not null && (tool is ApprovalRequiredAIFunction || tool.GetService(typeof(ApprovalRequiredAIFunction)) is not null) ? true : null,
            ApprovalType = AdminApprovalAIFunction.Of(tool)?.WireType,
            ExternalExecution = declaration is not null && tool is not AIFunction && !ReferenceEquals(tool, ChatSpec.DelegateTool) ? true : null,
        };
    }

    private static JsonNode ToNode<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
        => JsonSerializer.SerializeToNode(value, typeInfo)!;
}
