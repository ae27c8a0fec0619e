using System.Text;
using System.Text.Json;

namespace Agno.Benchmarks;

/// <summary>Builds workload W5's stream (<see cref="Workloads.StreamReal"/>): agno 2.9's event shapes with the fields real models and tools fill.</summary>
internal static class RealModelStream
{
    public const int Events = 1005;

    private const int Deltas = 996;
    private const string RunId = "5e1b7c2a-8d0f-4c51-9a3e-2f6b8d4c1a77";
    private const string SessionId = "b3c9e0d4-1f2a-4e6b-8c7d-9a0b1c2d3e4f";
    private const long CreatedAt = 1795305470;

    /// <summary>The concatenated content deltas.</summary>
    public static string Content { get; } = string.Concat(Enumerable.Range(0, Deltas).Where(i => i % 10 != 9).Select(Word));

    public static byte[] Build()
    {
        var sse = new MemoryStream();
        void Frame(string name, Action<Utf8JsonWriter> body)
        {
            sse.Write(Encoding.UTF8.GetBytes($"event: {name}\ndata: "));
            using (var w = new Utf8JsonWriter(sse, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                w.WriteStartObject();
                w.WriteNumber("created_at", CreatedAt);
                w.WriteString("event", name);
                w.WriteString("agent_id", Workloads.AgentId);
                w.WriteString("agent_name", "Research Agent");
                w.WriteString("run_id", RunId);
                w.WriteString("session_id", SessionId);
                body(w);
                w.WriteEndObject();
            }

            sse.Write("\n\n"u8);
        }

        int count = 0;
        Frame("RunStarted", w => { w.WriteString("model", "gpt-4o-2024-08-06"); w.WriteString("model_provider", "OpenAI"); });
        Frame("ModelRequestStarted", w => { w.WriteNumber("nested_depth", 0); w.WriteString("model", "gpt-4o-2024-08-06"); w.WriteString("model_provider", "OpenAI"); });
        count += 2;
        for (int tool = 0; tool < 2; tool++)
        {
            int t = tool;
            Frame("ToolCallStarted", w => { w.WriteNumber("nested_depth", 0); WriteTool(w, t, completed: false); });
            Frame("ToolCallCompleted", w => { w.WriteNumber("nested_depth", 0); w.WriteString("content", $"search_web(query=topic {t}) completed in 0.4123s. "); WriteTool(w, t, completed: true); });
            count += 2;
        }

        for (int i = 0; i < Deltas; i++)
        {
            int n = i;
            Frame("RunContent", w =>
            {
                w.WriteNumber("nested_depth", 0);
                bool reasoning = n % 10 == 9;
                w.WriteString("content", reasoning ? string.Empty : Word(n));
                w.WriteBoolean("workflow_agent", false);
                w.WriteString("content_type", "str");
                w.WriteString("reasoning_content", reasoning ? $"considering source {n / 10} " : string.Empty);
                w.WriteStartObject("model_provider_data");
                w.WriteString("id", "chatcmpl-AZ9qX4bV1mN2pQ3rS4tU5vW6xY7z");
                w.WriteString("system_fingerprint", "fp_a7d06e42a7");
                w.WriteNumber("created", CreatedAt);
                w.WriteEndObject();
                if (n % 100 == 50)
                {
                    w.WriteStartObject("citations");
                    w.WriteStartArray("urls");
                    w.WriteStartObject();
                    w.WriteString("url", $"https://example.org/articles/{n}");
                    w.WriteString("title", $"Article {n}");
                    w.WriteEndObject();
                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                if (n == 500)
                {
                    w.WriteStartObject("image");
                    w.WriteString("id", "img_01");
                    w.WriteString("url", "https://example.org/chart.png");
                    w.WriteString("mime_type", "image/png");
                    w.WriteEndObject();
                }

                if (n == 700)
                {
                    w.WriteStartArray("references");
                    w.WriteStartObject();
                    w.WriteString("query", "topic 0");
                    w.WriteStartArray("references");
                    w.WriteStartObject();
                    w.WriteString("name", "handbook.pdf");
                    w.WriteString("content", "A passage of the knowledge base.");
                    w.WriteEndObject();
                    w.WriteEndArray();
                    w.WriteNumber("time", 0.0123);
                    w.WriteEndObject();
                    w.WriteEndArray();
                }
            });
            count++;
        }

        Frame("ModelRequestCompleted", w =>
        {
            w.WriteNumber("nested_depth", 0);
            w.WriteString("model", "gpt-4o-2024-08-06");
            w.WriteString("model_provider", "OpenAI");
            w.WriteNumber("input_tokens", 1843);
            w.WriteNumber("output_tokens", 991);
            w.WriteNumber("total_tokens", 2834);
            w.WriteNumber("time_to_first_token", 0.412738);
            w.WriteNumber("reasoning_tokens", 99);
            w.WriteNumber("cache_read_tokens", 1024);
        });
        Frame("RunContentCompleted", w => w.WriteNumber("nested_depth", 0));
        Frame("RunCompleted", w =>
        {
            w.WriteNumber("nested_depth", 0);
            w.WriteString("content", Content);
            w.WriteString("content_type", "str");
            w.WriteString("reasoning_content", string.Concat(Enumerable.Range(0, Deltas / 10).Select(k => $"considering source {k} ")));
            w.WriteStartObject("citations");
            w.WriteStartArray("urls");
            for (int k = 50; k < Deltas; k += 100)
            {
                w.WriteStartObject();
                w.WriteString("url", $"https://example.org/articles/{k}");
                w.WriteString("title", $"Article {k}");
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("model_provider_data");
            w.WriteString("id", "chatcmpl-AZ9qX4bV1mN2pQ3rS4tU5vW6xY7z");
            w.WriteEndObject();
            w.WriteStartObject("metrics");
            w.WriteNumber("input_tokens", 1843);
            w.WriteNumber("output_tokens", 991);
            w.WriteNumber("total_tokens", 2834);
            w.WriteNumber("reasoning_tokens", 99);
            w.WriteNumber("cache_read_tokens", 1024);
            w.WriteNumber("time_to_first_token", 0.412738);
            w.WriteNumber("duration", 9.8817);
            w.WriteStartObject("details");
            w.WriteStartArray("model");
            w.WriteStartObject();
            w.WriteNumber("input_tokens", 1843);
            w.WriteNumber("output_tokens", 991);
            w.WriteNumber("total_tokens", 2834);
            w.WriteString("id", "gpt-4o-2024-08-06");
            w.WriteString("provider", "OpenAI");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        });
        count += 3;
        if (count != Events)
        {
            throw new InvalidOperationException($"W5 has {count} events, not {Events}.");
        }

        return sse.ToArray();
    }

    private static string Word(int i) => $"insight{i:0000} ";

    private static void WriteTool(Utf8JsonWriter w, int tool, bool completed)
    {
        w.WriteStartObject("tool");
        w.WriteString("tool_call_id", $"call_{tool}Qm9vTmFtZQ");
        w.WriteString("tool_name", "search_web");
        w.WriteStartObject("tool_args");
        w.WriteString("query", $"topic {tool}");
        w.WriteNumber("max_results", 5);
        w.WriteEndObject();
        w.WriteNull("tool_call_error");
        if (completed)
        {
            w.WriteString("result", $"[{{\"title\": \"Result {tool}\", \"url\": \"https://example.org/{tool}\"}}]");
            w.WriteStartObject("metrics");
            w.WriteNumber("duration", 0.4123);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("result");
            w.WriteNull("metrics");
        }

        w.WriteBoolean("stop_after_tool_call", false);
        w.WriteNumber("created_at", CreatedAt);
        w.WriteBoolean("requires_confirmation", false);
        w.WriteBoolean("requires_user_input", false);
        w.WriteBoolean("external_execution_required", false);
        w.WriteEndObject();
    }
}
