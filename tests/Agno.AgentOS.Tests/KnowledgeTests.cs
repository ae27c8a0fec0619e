using System.Text;
using System.Text.Json.Nodes;
using Agno.Testing;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Agno.AgentOS.Tests;

/// <summary>
/// No knowledge exchange was recorded (the fixture server had no knowledge base), so these answers are
/// shaped by hand after the protocol notes (§7.3) and agno's knowledge router and schemas.
/// </summary>
public sealed class KnowledgeTests
{
    private const string ContentJson = """{"id":"c-1","name":"notes","description":"team notes","type":"text/plain","size":"13","linked_to":null,"metadata":{"team":"a"},"access_count":0,"status":"processing","status_message":null,"created_at":"2026-11-22T00:00:00Z","updated_at":"2026-11-22T00:00:00Z"}""";

    [Fact]
    public async Task Upload_is_multipart_answers_202_and_is_polled_to_completion()
    {
        await using var server = await ReplayServer.StartAsync();
        int polls = 0;
        server.Handler = async ctx =>
        {
            ctx.Response.ContentType = "application/json";
            if (ctx.Request.Method == "POST")
            {
                ctx.Response.StatusCode = 202;
                await ctx.Response.WriteAsync(ContentJson);
                return;
            }

            polls++;
            string status = polls < 3 ? "processing" : "completed";
            await ctx.Response.WriteAsync($$"""{"id":"c-1","status":"{{status}}","status_message":null}""");
        };
        using var client = TestSupport.Client(server);
        var upload = new KnowledgeUpload
        {
            Name = "notes",
            Description = "team notes",
            Metadata = new JsonObject { ["team"] = "a" },
            File = new FileUpload("notes.txt", "text/plain", Encoding.UTF8.GetBytes("fixture notes")),
            ChunkSize = 500,
        };

        var content = await client.UploadKnowledgeContentAsync(upload, new KnowledgeSelector(KnowledgeId: "kb-1"));
        var status = await client.WaitForKnowledgeContentAsync(content.Id!, TimeSpan.Zero, new KnowledgeSelector(KnowledgeId: "kb-1"));

        var sent = server.Received[0];
        Assert.Equal(("POST", "/knowledge/content", "?knowledge_id=kb-1"), (sent.Method, sent.Path, sent.Query));
        var parts = RequestAssert.ParseBody(sent.ContentType, sent.Body);
        Assert.Equal(["name", "description", "metadata", "chunk_size", "file"], parts.Select(p => p.Name));
        Assert.Equal("{\"team\":\"a\"}", parts.Single(p => p.Name == "metadata").Value);
        var file = parts.Single(p => p.Name == "file");
        Assert.Equal(("notes.txt", "text/plain", "fixture notes"), (file.FileName, file.ContentType, Encoding.UTF8.GetString(file.Bytes!)));
        Assert.Equal("processing", content.Status);
        Assert.Equal("completed", status.Status);
        Assert.True(status.IsFinished);
        Assert.Equal(3, polls);
        Assert.All(server.Received.Skip(1), r => Assert.Equal("/knowledge/content/c-1/status", r.Path));
    }

    [Fact]
    public async Task Content_is_listed_read_updated_deleted_and_searched()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Handler = async ctx =>
        {
            ctx.Response.ContentType = "application/json";
            string path = ctx.Request.Path.Value!;
            switch (ctx.Request.Method, path)
            {
                case ("GET", "/knowledge/content"):
                    await ctx.Response.WriteAsync("{\"data\":[" + ContentJson + "],\"meta\":{\"page\":1,\"limit\":20,\"total_pages\":1,\"total_count\":1}}");
                    break;
                case ("GET", "/knowledge/config"):
                    await ctx.Response.WriteAsync("""{"readers":{"text":{"id":"text","name":"TextReader"}},"chunkers":{},"filters":["team"],"vector_dbs":[{"id":"vdb"}]}""");
                    break;
                case ("POST", "/knowledge/search"):
                    await ctx.Response.WriteAsync("""{"data":[{"id":"chunk-1","content":"fixture notes","name":"notes","meta_data":{"team":"a"},"reranking_score":0.9,"content_id":"c-1"}],"meta":{"page":1,"limit":5,"total_pages":1,"total_count":1}}""");
                    break;
                case ("DELETE", _):
                    ctx.Response.StatusCode = 204;
                    break;
                default:
                    await ctx.Response.WriteAsync(ContentJson.Replace("\"processing\"", "\"completed\"", StringComparison.Ordinal));
                    break;
            }
        };
        using var client = TestSupport.Client(server);

        var page = await client.ListKnowledgeContentAsync(limit: 20, page: 1, sortOrder: SortOrder.Descending);
        var one = await client.GetKnowledgeContentAsync("c-1");
        var updated = await client.UpdateKnowledgeContentAsync("c-1", name: "renamed", metadata: new JsonObject { ["team"] = "b" });
        var config = await client.GetKnowledgeConfigAsync();
        var hits = await client.SearchKnowledgeAsync(new KnowledgeSearchRequest("notes") { SearchType = "hybrid", MaxResults = 5, Limit = 5, Page = 1 }, new KnowledgeSelector("db-1", "kb-1"));
        await client.DeleteKnowledgeContentAsync("c-1");
        await client.DeleteAllKnowledgeContentAsync();

        Assert.Equal("c-1", Assert.Single(page.Data).Id);
        Assert.Equal("?limit=20&page=1&sort_order=desc", server.Received[0].Query);
        Assert.Equal("completed", one.Status);
        Assert.Equal(("PATCH", "name=renamed&metadata=%7B%22team%22%3A%22b%22%7D"), (server.Received[2].Method, Encoding.UTF8.GetString(server.Received[2].Body)));
        Assert.Equal("completed", updated.Status);
        Assert.True(config.Readers!.Value.TryGetProperty("text", out _));
        var hit = Assert.Single(hits.Data);
        Assert.Equal(("fixture notes", 0.9), (hit.Content, hit.RerankingScore));
        var searchBody = JsonNode.Parse(server.Received[4].Body)!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"query":"notes","db_id":"db-1","knowledge_id":"kb-1","search_type":"hybrid","max_results":5,"meta":{"limit":5,"page":1}}"""), searchBody));
        Assert.Equal(("DELETE", "/knowledge/content/c-1"), (server.Received[5].Method, server.Received[5].Path));
        Assert.Equal(("DELETE", "/knowledge/content"), (server.Received[6].Method, server.Received[6].Path));
    }

    [Fact]
    public async Task An_upload_needs_something_to_add()
    {
        using var client = new AgentOSClient(new Uri("http://127.0.0.1:9"));
        await Assert.ThrowsAsync<ArgumentException>(() => client.UploadKnowledgeContentAsync(new KnowledgeUpload { Name = "empty" }));
        await Assert.ThrowsAsync<ArgumentException>(() => client.SearchKnowledgeAsync(new KnowledgeSearchRequest(" ")));
    }
}
