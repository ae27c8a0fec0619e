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
            ? new JsonObject
            {
                ["name"] = runtime.Options.Name ?? "AgentOS API",
                ["health"] = "/health",
                ["info"] = "/info",
                ["docs"] = "/docs",
            }
            : new JsonObject
            {
                ["name"] = "AgentOS API",
                ["id"] = runtime.Options.OsId,
                ["version"] = runtime.Options.Version,
            });

    public static Task Health(HttpContext context, AgentOSRuntime runtime)
        => Wire.WriteJsonAsync(context, new JsonObject
        {
            ["status"] = "ok",
            ["instantiated_at"] = Wire.IsoMicrosZ(runtime.InstantiatedAt),
        });

    public static Task Info(HttpContext context, AgentOSRuntime runtime)
    {
        var o = runtime.Options;
        var registry = runtime.Registry;
        var info = new JsonObject
        {
            ["os_id"] = o.OsId,
            ["name"] = o.Name,
        };
        if (o.SpeaksAgno3)
        {
            info["os_version"] = o.Version;
        }

        info["agno_version"] = o.AgnoVersion;
        foreach (var (key, value) in new JsonObject
        {
            ["agent_count"] = registry.Of(ComponentKind.Agent).Count(),
            ["team_count"] = registry.Of(ComponentKind.Team).Count(),
            ["workflow_count"] = registry.Of(ComponentKind.Workflow).Count(),
            ["mcp"] = new JsonObject { ["enabled"] = false, ["path"] = null, ["oauth"] = null },
            ["auth_mode"] = string.IsNullOrEmpty(o.SecurityKey) ? "none" : "security_key",
        })
        {
            info[key] = value?.DeepClone();
        }

        return Wire.WriteJsonAsync(context, info);
    }

    public static async Task Config(HttpContext context, AgentOSRuntime runtime)
    {
        var o = runtime.Options;
        var config = new JsonObject { ["os_id"] = o.OsId };
        if (o.Description is not null)
        {
            config["description"] = o.Description;
        }

        // agno 2.9 lists model ids (none unless configured); 3.x lists the components' models as {id, provider}
        JsonArray availableModels = [];
        if (o.SpeaksAgno3)
        {
            if (await ModelListAsync(runtime, context).ConfigureAwait(false) is not { } listed)
            {
                return;
            }

            availableModels = listed;
        }

        config["available_models"] = availableModels;
        config["os_database"] = o.DatabaseId;
        config["databases"] = new JsonArray(o.DatabaseId);
        config["session"] = new JsonObject
        {
            ["dbs"] = new JsonArray(new JsonObject
            {
                ["db_id"] = o.DatabaseId,
                ["domain_config"] = new JsonObject { ["display_name"] = o.DatabaseId },
                ["tables"] = new JsonArray(SessionTable),
            }),
        };
        var agents = new JsonArray();
        var teams = new JsonArray();
        var workflows = new JsonArray();
        foreach (var entry in runtime.Registry.All)
        {
            JsonObject summary;
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
        var databases = config["databases"]!.AsArray();
        var dbs = config["session"]!["dbs"]!.AsArray();
        var remoteDbs = agents.Concat(teams).Concat(workflows).OfType<JsonObject>()
            .Where(c => runtime.Registry.All.Any(e => e.IsRemote && e.Id == c.GetString("id")))
            .Select(c => c.GetString("db_id"))
            .OfType<string>()
            .Where(db => db != o.DatabaseId)
            .Distinct(StringComparer.Ordinal);
        foreach (var db in remoteDbs)
        {
            databases.Add(db);
            dbs.Add(new JsonObject
            {
                ["db_id"] = db,
                ["domain_config"] = new JsonObject { ["display_name"] = db },
                ["tables"] = new JsonArray(SessionTable),
            });
        }

        config["agents"] = agents;
        config["teams"] = teams;
        config["workflows"] = workflows;
        config["interfaces"] = new JsonArray();
        await Wire.WriteJsonAsync(context, config).ConfigureAwait(false);
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
            await Wire.WriteJsonAsync(context, models).ConfigureAwait(false);
        }
    }

    /// <summary>The models of the components (remote ones as their servers list them), or null after writing a remote failure.</summary>
    private static async Task<JsonArray?> ModelListAsync(AgentOSRuntime runtime, HttpContext context)
    {
        var models = new JsonArray();
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
                    model = summary.GetObject("model") is { } m ? (m.GetString("id"), m.GetString("provider")) : null;
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
                models.Add(new JsonObject { ["id"] = found.Model, ["provider"] = found.Provider });
            }
        }

        return models;
    }

    public static async Task List(HttpContext context, AgentOSRuntime runtime, ComponentKind kind)
    {
        var list = new JsonArray();
        foreach (var entry in runtime.Registry.Of(kind))
        {
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

    private static async Task<JsonObject> DescribeAsync(ComponentEntry entry, AgentOSRuntime runtime, HttpContext context, bool summary)
    {
        var db = runtime.Options.DatabaseId;
        switch (entry)
        {
            case { Agent: { } agent }:
                return AgentResponse(agent, db, asMember: false);
            case { Team: { } team }:
                return TeamResponse(team, db);
            case { Workflow: { } workflow }:
                return summary ? WorkflowSummary(workflow, db) : WorkflowResponse(workflow, db);
            case { RemoteAgent: { } remote }:
                return ToObject(await remote.GetDetailsAsync(context.RequestAborted).ConfigureAwait(false));
            case { RemoteTeam: { } remote }:
                return ToObject(await remote.GetDetailsAsync(context.RequestAborted).ConfigureAwait(false));
            case { RemoteWorkflow: { } remote }:
                var details = await remote.GetDetailsAsync(context.RequestAborted).ConfigureAwait(false);
                if (!summary)
                {
                    return ToObject(details);
                }

                var s = new JsonObject { ["id"] = details.Id, ["name"] = details.Name };
                if (details.Description is not null) { s["description"] = details.Description; }
                if (details.DbId is not null) { s["db_id"] = details.DbId; }
                s["is_factory"] = details.IsFactory ?? false;
                s["is_component"] = details.IsComponent ?? false;
                return s;
            default:
                throw new InvalidOperationException("Unknown component.");
        }
    }

    private static async Task<JsonObject> SummaryAsync(ComponentEntry entry, AgentOSRuntime runtime, HttpContext context)
    {
        var db = runtime.Options.DatabaseId;
        switch (entry)
        {
            case { Agent: { } a }:
                var (am, ap) = ChatSpec.ModelOf(a);
                return Summary(a.Id, a.Name ?? a.Id, a.Description, db, new JsonObject { ["id"] = am, ["provider"] = ap }, null);
            case { Team: { } t }:
                var (tm, tp) = ChatSpec.ModelOf(t);
                return Summary(t.Id, t.Name ?? t.Id, t.Description, db, new JsonObject { ["id"] = tm, ["provider"] = tp }, "coordinate");
            case { Workflow: { } w }:
                return WorkflowSummary(w, db);
            default:
                var details = await DescribeAsync(entry, runtime, context, summary: false).ConfigureAwait(false);
                var model = details.GetObject("model");
                JsonObject? modelSummary = model is null ? null : new JsonObject { ["id"] = model["model"]?.DeepClone() ?? model["id"]?.DeepClone(), ["provider"] = model["provider"]?.DeepClone() };
                var summary = Summary(entry.Id, details.GetString("name") ?? entry.Id, details.GetString("description"), details.GetString("db_id"), modelSummary, details.GetString("mode"));
                if (entry.Kind == ComponentKind.Workflow)
                {
                    summary.Remove("model");
                    summary["is_factory"] = details.GetBool("is_factory") ?? false;
                    summary["is_component"] = details.GetBool("is_component") ?? false;
                }

                return summary;
        }
    }

    private static JsonObject Summary(string id, string name, string? description, string? db, JsonObject? model, string? mode)
    {
        var o = new JsonObject { ["id"] = id, ["name"] = name };
        if (description is not null) { o["description"] = description; }
        if (db is not null) { o["db_id"] = db; }
        if (mode is not null) { o["mode"] = mode; }
        if (model is not null) { o["model"] = model; }
        return o;
    }

    public static JsonObject AgentResponse(HostedAgent agent, string db, bool asMember)
    {
        var (modelId, provider) = ChatSpec.ModelOf(agent);
        var o = new JsonObject
        {
            ["id"] = agent.Id,
            ["name"] = agent.Name ?? agent.Id,
            ["db_id"] = db,
        };
        if (agent.Description is not null) { o["description"] = agent.Description; }
        if (agent.Role is not null) { o["role"] = agent.Role; }
        o["is_factory"] = false;
        o["model"] = ModelJson(agent.ChatClient, modelId, provider);
        if (agent.Tools.Count > 0)
        {
            o["tools"] = new JsonObject { ["tools"] = Wire.ToArray(agent.Tools.Select(ToolDefinition)) };
        }

        var sessions = new JsonObject { ["session_table"] = SessionTable };
        if (agent.AddHistoryToContext && !asMember)
        {
            sessions["add_history_to_context"] = true;
        }

        o["sessions"] = sessions;
        if (!asMember && (agent.Description is not null || agent.Instructions is not null))
        {
            var system = new JsonObject();
            if (agent.Description is not null) { system["description"] = agent.Description; }
            if (agent.Instructions is not null) { system["instructions"] = agent.Instructions; }
            o["system_message"] = system;
        }

        if (agent.Metadata is not null) { o["metadata"] = agent.Metadata.DeepClone(); }
        o["is_component"] = false;
        return o;
    }

    private static JsonObject TeamResponse(HostedTeam team, string db)
    {
        var (modelId, provider) = ChatSpec.ModelOf(team);
        var o = new JsonObject
        {
            ["id"] = team.Id,
            ["name"] = team.Name ?? team.Id,
            ["db_id"] = db,
        };
        if (team.Description is not null) { o["description"] = team.Description; }
        o["mode"] = "coordinate";
        o["model"] = ModelJson(team.Leader, modelId, provider);
        var tools = new List<AITool> { ChatSpec.DelegateTool };
        tools.AddRange(team.Tools);
        o["tools"] = new JsonObject { ["tools"] = Wire.ToArray(tools.Select(ToolDefinition)) };
        var sessions = new JsonObject { ["session_table"] = SessionTable };
        if (team.AddHistoryToContext) { sessions["add_history_to_context"] = true; }
        o["sessions"] = sessions;
        if (team.Description is not null || team.Instructions is not null)
        {
            var system = new JsonObject();
            if (team.Description is not null) { system["description"] = team.Description; }
            if (team.Instructions is not null) { system["instructions"] = team.Instructions; }
            o["system_message"] = system;
        }

        o["streaming"] = new JsonObject { ["stream_member_events"] = true };
        o["members"] = Wire.ToArray(team.Members.Select(m => AgentResponse(m, db, asMember: true)));
        if (team.Metadata is not null) { o["metadata"] = team.Metadata.DeepClone(); }
        o["is_factory"] = false;
        o["is_component"] = false;
        return o;
    }

    private static JsonObject WorkflowSummary(HostedWorkflow workflow, string db)
    {
        var o = new JsonObject { ["id"] = workflow.Id, ["name"] = workflow.Name ?? workflow.Id };
        if (workflow.Description is not null) { o["description"] = workflow.Description; }
        o["db_id"] = db;
        o["is_factory"] = false;
        o["is_component"] = false;
        return o;
    }

    private static JsonObject WorkflowResponse(HostedWorkflow workflow, string db)
    {
        var o = new JsonObject { ["id"] = workflow.Id, ["name"] = workflow.Name ?? workflow.Id, ["db_id"] = db };
        if (workflow.Description is not null) { o["description"] = workflow.Description; }
        var steps = new JsonArray();
        foreach (var step in workflow.Steps)
        {
            var s = new JsonObject { ["name"] = step.Name };
            if (step.Description is not null) { s["description"] = step.Description; }
            s["type"] = "Step";
            if (step.Agent is { } agent)
            {
                var (modelId, provider) = ChatSpec.ModelOf(agent);
                s["agent"] = new JsonObject
                {
                    ["id"] = agent.Id,
                    ["name"] = agent.Name ?? agent.Id,
                    ["is_factory"] = false,
                    ["model"] = ModelJson(agent.ChatClient, modelId, provider),
                    ["is_component"] = false,
                };
            }
            else if (step.Team is { } team)
            {
                s["team"] = new JsonObject { ["id"] = team.Id, ["name"] = team.Name ?? team.Id, ["is_factory"] = false, ["is_component"] = false };
            }

            steps.Add(s);
        }

        o["steps"] = steps;
        if (workflow.Metadata is not null) { o["metadata"] = workflow.Metadata.DeepClone(); }
        o["workflow_agent"] = false;
        o["is_factory"] = false;
        o["is_component"] = false;
        return o;
    }

    private static JsonObject ModelJson(IChatClient client, string modelId, string provider)
        => new() { ["name"] = ChatSpec.ModelClassName(client), ["model"] = modelId, ["provider"] = provider };

    private static JsonObject ToolDefinition(AITool tool)
    {
        var o = new JsonObject { ["name"] = tool.Name, ["description"] = tool.Description };
        if (tool is AIFunctionDeclaration declaration)
        {
            o["parameters"] = JsonNode.Parse(declaration.JsonSchema.GetRawText());
            if (tool is ApprovalRequiredAIFunction || tool.GetService(typeof(ApprovalRequiredAIFunction)) is not null)
            {
                o["requires_confirmation"] = true;
            }

            if (tool is not AIFunction && !ReferenceEquals(tool, ChatSpec.DelegateTool))
            {
                o["external_execution"] = true;
            }
        }

        return o;
    }

    private static JsonObject ToObject(object details) => RemoteJson.ToNode(details) as JsonObject ?? [];
}
