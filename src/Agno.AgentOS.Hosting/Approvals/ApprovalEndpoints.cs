using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>agno's <c>/approvals</c> routes (<c>agno/os/routers/approvals/router.py</c>): answers, errors and the per-user rules.</summary>
internal static class ApprovalEndpoints
{
    private const string NotFound = "Approval not found";
    private const string StatusesExpected = "'pending', 'approved', 'rejected', 'expired' or 'cancelled'";
    private const string TypesExpected = "'required' or 'audit'";
    private const string ResolvePattern = "^(approved|rejected)$";
    private const int MaxResolvedBy = 255;
    private static readonly string[] ApprovalStatusValues = [ApprovalStatuses.Pending, ApprovalStatuses.Approved, ApprovalStatuses.Rejected, ApprovalStatuses.Expired, ApprovalStatuses.Cancelled];

    public static async Task ListAsync(HttpContext context, AgentOSRuntime runtime)
    {
        var approvals = runtime.Approvals!;
        var errors = new List<ValidationError>();
        string? status = Literal(context, "status", ApprovalStatusValues, StatusesExpected, errors);
        string? approvalType = Literal(context, "approval_type", ["required", "audit"], TypesExpected, errors);
        int limit = Integer(context, "limit", 100, 1, 1000, errors);
        int page = Integer(context, "page", 1, 1, int.MaxValue, errors);
        if (errors.Count > 0)
        {
            await Wire.WriteValidationAsync(context, [.. errors]).ConfigureAwait(false);
            return;
        }

        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var query = new AgentOSApprovalQuery
        {
            Status = status,
            SourceType = context.Query("source_type"),
            ApprovalType = approvalType,
            PauseType = context.Query("pause_type"),
            AgentId = context.Query("agent_id"),
            TeamId = context.Query("team_id"),
            WorkflowId = context.Query("workflow_id"),
            UserId = AgentOSCaller.Of(context)?.ScopedUserId ?? context.Query("user_id"),
            ScheduleId = context.Query("schedule_id"),
            RunId = context.Query("run_id"),
            Limit = limit,
            Page = page,
        };
        var result = await approvals.Store.ListAsync(query, context.RequestAborted).ConfigureAwait(false);
        var data = new List<ApprovalBody>(result.Items.Count);
        foreach (var approval in result.Items)
        {
            data.Add(await approvals.ToBodyAsync(approval, context.RequestAborted).ConfigureAwait(false));
        }

        double elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var body = new Page<ApprovalBody>
        {
            Data = data,
            Meta = new PageInfo
            {
                Page = page,
                Limit = limit,
                TotalPages = result.TotalCount > 0 ? (result.TotalCount + limit - 1) / limit : 0,
                TotalCount = result.TotalCount,
                SearchTimeMs = Math.Round(elapsed, 2),
            },
        };
        await Wire.WriteJsonAsync(context, body, HostWireContext.Default.PageApprovalBody).ConfigureAwait(false);
    }

    public static async Task CountAsync(HttpContext context, AgentOSRuntime runtime)
    {
        string? userId = AgentOSCaller.Of(context)?.ScopedUserId ?? context.Query("user_id");
        int count = await runtime.Approvals!.Store.CountPendingAsync(userId, context.RequestAborted).ConfigureAwait(false);
        await Wire.WriteJsonAsync(context, new ApprovalCountBody(count), HostWireContext.Default.ApprovalCountBody).ConfigureAwait(false);
    }

    public static async Task GetAsync(HttpContext context, AgentOSRuntime runtime)
    {
        if (await LoadAsync(context, runtime).ConfigureAwait(false) is { } approval)
        {
            await WriteAsync(context, await runtime.Approvals!.ToBodyAsync(approval, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
        }
    }

    public static async Task StatusAsync(HttpContext context, AgentOSRuntime runtime)
    {
        if (await LoadAsync(context, runtime).ConfigureAwait(false) is { } approval)
        {
            var body = new ApprovalStatusBody(context.Route("approval_id"), approval.Status, approval.RunId, approval.ResolvedAt, approval.ResolvedBy);
            await Wire.WriteJsonAsync(context, body, HostWireContext.Default.ApprovalStatusBody).ConfigureAwait(false);
        }
    }

    public static async Task ResolveAsync(HttpContext context, AgentOSRuntime runtime)
    {
        var read = await JsonBody.ReadModelAsync(context, ("status", BodyFieldKind.String), ("resolved_by", BodyFieldKind.String), ("resolution_data", BodyFieldKind.Object)).ConfigureAwait(false);
        if (!read.Present)
        {
            await Wire.WriteValidationAsync(context, JsonBody.MissingBody()).ConfigureAwait(false);
            return;
        }

        if (read.Body is not { } json)
        {
            await Wire.WriteValidationAsync(context, [.. read.Errors]).ConfigureAwait(false);
            return;
        }

        // the fields' types are checked: the typed body reads them as they are
        var body = json.Deserialize(HostWireContext.Default.ApprovalResolveBody)!;
        var errors = new List<ValidationError>();
        string? status = body.Status;
        if (status is null)
        {
            errors.Add(new ValidationError("missing", Wire.Loc("body", "status"), "Field required", json.DeepClone()));
        }
        else if (status is not ("approved" or "rejected"))
        {
            errors.Add(new ValidationError("string_pattern_mismatch", Wire.Loc("body", "status"), $"String should match pattern '{ResolvePattern}'", status)
            {
                Ctx = new ValidationContext { Pattern = ResolvePattern },
            });
        }

        string? resolvedBy = body.ResolvedBy;
        if (resolvedBy is { Length: > MaxResolvedBy })
        {
            errors.Add(new ValidationError("string_too_long", Wire.Loc("body", "resolved_by"), $"String should have at most {MaxResolvedBy} characters", resolvedBy)
            {
                Ctx = new ValidationContext { MaxLength = MaxResolvedBy },
            });
        }

        if (errors.Count > 0)
        {
            await Wire.WriteValidationAsync(context, [.. errors]).ConfigureAwait(false);
            return;
        }

        // Under user isolation resolving is left to admins; a non-admin is told the approval does not exist (as agno).
        var caller = AgentOSCaller.Of(context);
        if (caller?.ScopedUserId is not null)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status404NotFound, NotFound).ConfigureAwait(false);
            return;
        }

        string approvalId = context.Route("approval_id");
        var store = runtime.Approvals!.Store;
        var resolution = new AgentOSApprovalResolution(status!, caller?.UserId ?? resolvedBy, body.ResolutionData, runtime.Time.GetUtcNow().ToUnixTimeSeconds());
        var resolved = await store.ResolveAsync(approvalId, resolution, context.RequestAborted).ConfigureAwait(false);
        if (resolved is null)
        {
            var existing = await store.GetAsync(approvalId, context.RequestAborted).ConfigureAwait(false);
            if (existing is null)
            {
                await Wire.WriteDetailAsync(context, StatusCodes.Status404NotFound, NotFound).ConfigureAwait(false);
            }
            else
            {
                await Wire.WriteDetailAsync(context, StatusCodes.Status409Conflict, $"Approval is already '{existing.Status}' and cannot be resolved").ConfigureAwait(false);
            }

            return;
        }

        await WriteAsync(context, await runtime.Approvals.ToBodyAsync(resolved, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    public static async Task DeleteAsync(HttpContext context, AgentOSRuntime runtime)
    {
        if (AgentOSCaller.Of(context)?.ScopedUserId is not null)
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status404NotFound, NotFound).ConfigureAwait(false);
            return;
        }

        // agno answers an unknown id with a 500 (its db layer reports "nothing deleted" as a failure)
        if (!await runtime.Approvals!.Store.DeleteAsync(context.Route("approval_id"), context.RequestAborted).ConfigureAwait(false))
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status500InternalServerError, "Failed to delete approval").ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>An approval the caller may see (another user's is "not found" under isolation), or null after the 404.</summary>
    private static async Task<AgentOSApproval?> LoadAsync(HttpContext context, AgentOSRuntime runtime)
    {
        var approval = await runtime.Approvals!.Store.GetAsync(context.Route("approval_id"), context.RequestAborted).ConfigureAwait(false);
        if (approval is null || (AgentOSCaller.Of(context)?.ScopedUserId is { } user && approval.UserId != user))
        {
            await Wire.WriteDetailAsync(context, StatusCodes.Status404NotFound, NotFound).ConfigureAwait(false);
            return null;
        }

        return approval;
    }

    private static Task WriteAsync(HttpContext context, ApprovalBody body) => Wire.WriteJsonAsync(context, body, HostWireContext.Default.ApprovalBody);

    private static string? Literal(HttpContext context, string name, string[] allowed, string expected, List<ValidationError> errors)
    {
        string? value = context.Query(name);
        if (value is null || allowed.Contains(value, StringComparer.Ordinal))
        {
            return value;
        }

        errors.Add(new ValidationError("literal_error", Wire.Loc("query", name), $"Input should be {expected}", value)
        {
            Ctx = new ValidationContext { Expected = expected },
        });
        return null;
    }

    private static int Integer(HttpContext context, string name, int defaultValue, int minimum, int maximum, List<ValidationError> errors)
    {
        string? text = context.Query(name);
        if (text is null)
        {
            return defaultValue;
        }

        if (!long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            errors.Add(Wire.BadInt("query", name, text));
            return defaultValue;
        }

        if (value < minimum || value > maximum)
        {
            bool low = value < minimum;
            errors.Add(new ValidationError(
                low ? "greater_than_equal" : "less_than_equal",
                Wire.Loc("query", name),
                low ? $"Input should be greater than or equal to {minimum}" : $"Input should be less than or equal to {maximum}",
                text)
            {
                Ctx = low ? new ValidationContext { Ge = minimum } : new ValidationContext { Le = maximum },
            });
            return defaultValue;
        }

        return (int)value;
    }
}
