using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agno.AgentOS;
using Agno.Extensions.AI.Internal;
using Xunit;

namespace Agno.Extensions.AI.Tests;

/// <summary>The paused runs a chat client keeps: a bounded LRU of private deep copies.</summary>
public sealed class PausedRunCacheTests
{
    private static PausedRun Run(string id, string toolCallId = "call-1")
        => new(id, "session") { Tools = [new ToolExecution { ToolCallId = toolCallId, ToolName = "delete_record", RequiresConfirmation = true }] };

    [Fact]
    public void A_removed_run_leaves_nothing_behind_that_could_evict_it_when_it_is_added_again()
    {
        var cache = new PausedRunCache(2);
        cache.Set(Run("a"));
        cache.Remove("a");
        cache.Set(Run("b"));
        cache.Set(Run("a")); // a is now the newest
        cache.Set(Run("c")); // over capacity: the oldest, b, goes

        Assert.NotNull(cache.Get("a"));
        Assert.NotNull(cache.Get("c"));
        Assert.Null(cache.Get("b"));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void The_least_recently_used_run_is_evicted_first()
    {
        var cache = new PausedRunCache(2);
        cache.Set(Run("a"));
        cache.Set(Run("b"));
        Assert.NotNull(cache.Get("a")); // a used: b is now the least recently used
        cache.Set(Run("c"));

        Assert.NotNull(cache.Get("a"));
        Assert.Null(cache.Get("b"));
        Assert.NotNull(cache.Get("c"));
    }

    [Fact]
    public void Answered_pauses_leave_nothing_behind_in_a_long_lived_client()
    {
        var cache = new PausedRunCache(256);
        for (int i = 0; i < 1000; i++)
        {
            cache.Set(Run("run-" + i));
            cache.Remove("run-" + i);
        }

        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.OrderCount);
        cache.Set(Run("x"));
        cache.Set(Run("y"));
        Assert.NotNull(cache.Get("x"));
        Assert.NotNull(cache.Get("y"));
    }

    [Fact]
    public void The_cache_keeps_its_own_copy_and_hands_out_copies()
    {
        var cache = new PausedRunCache(4);
        var original = Run("a");
        cache.Set(original);

        original.Tools[0].Confirm("changed by the caller after the pause");
        var first = cache.Get("a")!;
        first.Tools[0].Reject("an answer applied to the copy");
        var second = cache.Get("a")!;

        Assert.Null(second.Tools[0].Confirmed);
        Assert.Null(second.Tools[0].ConfirmationNote);
        Assert.NotSame(first.Tools[0], second.Tools[0]);
        Assert.Equal(false, first.Tools[0].Confirmed);
    }

    public static TheoryData<Type> CopiedTypes => [typeof(ToolExecution), typeof(RunRequirement), typeof(StepRequirement), typeof(UserInputField)];

    /// <summary>Every settable property is copied, and nothing mutable is shared (a new property of the core fails this).</summary>
    [Theory]
    [MemberData(nameof(CopiedTypes))]
    public void A_deep_copy_copies_every_property_and_shares_nothing_mutable(Type type)
    {
        object original = Filled(type, depth: 0);
        object copy = type.Name switch
        {
            nameof(ToolExecution) => DeepCopy.Of((ToolExecution)original),
            nameof(RunRequirement) => DeepCopy.Of((RunRequirement)original),
            nameof(StepRequirement) => DeepCopy.Of((StepRequirement)original),
            _ => DeepCopy.Of((UserInputField)original),
        };

        Assert.Equal(JsonSerializer.Serialize(original, type), JsonSerializer.Serialize(copy, type));
        AssertNothingShared(original, copy, type.Name);
    }

    private static void AssertNothingShared(object original, object copy, string path)
    {
        Assert.NotSame(original, copy);
        foreach (var p in original.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            object? a = p.GetValue(original);
            object? b = p.GetValue(copy);
            if (a is null || a is string || a.GetType().IsValueType)
            {
                continue;
            }

            Assert.False(ReferenceEquals(a, b), $"{path}.{p.Name} is shared by the copy.");
            if (a is IList la && b is IList lb)
            {
                for (int i = 0; i < la.Count; i++)
                {
                    if (la[i] is { } item && item is not string && !item.GetType().IsValueType)
                    {
                        AssertNothingShared(item, lb[i]!, $"{path}.{p.Name}[{i}]");
                    }
                }
            }
            else if (a is not JsonNode && a is not IDictionary)
            {
                AssertNothingShared(a, b!, $"{path}.{p.Name}");
            }
        }
    }

    /// <summary>An instance with every settable property set to a non-default value.</summary>
    private static object Filled(Type type, int depth)
    {
        object instance = Activator.CreateInstance(type)!;
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            p.SetValue(instance, ValueFor(p.PropertyType, p.Name, depth));
        }

        return instance;
    }

    private static object ValueFor(Type t, string name, int depth)
    {
        if (t == typeof(string))
        {
            return "v-" + name;
        }

        if (t == typeof(bool?))
        {
            return true;
        }

        if (t == typeof(DateTimeOffset?))
        {
            return new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        }

        if (t == typeof(JsonElement?))
        {
            return JsonDocument.Parse($"{{\"{name}\":1}}").RootElement.Clone();
        }

        if (t == typeof(JsonObject))
        {
            return new JsonObject { [name] = "x" };
        }

        if (t == typeof(JsonNode))
        {
            return new JsonObject { [name] = new JsonArray(1, 2) };
        }

        if (t == typeof(Dictionary<string, JsonElement>))
        {
            return new Dictionary<string, JsonElement> { ["extra_" + name] = JsonDocument.Parse("[1]").RootElement.Clone() };
        }

        if (t == typeof(List<string>))
        {
            return new List<string> { "a-" + name, "b-" + name };
        }

        if (t == typeof(ToolExecution) || t == typeof(UserInputField) || t == typeof(RunRequirement))
        {
            return Filled(t, depth + 1);
        }

        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>))
        {
            var list = (IList)Activator.CreateInstance(t)!;
            list.Add(Filled(t.GetGenericArguments()[0], depth + 1));
            return list;
        }

        throw new InvalidOperationException($"Property {name} has a type ({t}) this test does not know: teach it, and DeepCopy.");
    }
}
