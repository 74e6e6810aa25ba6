using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Shouldly;

namespace BundLaenderKoordination.BrowserTests;

/// <summary>The size limit on a real server (Kestrel), with and without a declared length.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RequestLimitTests(BrowserFixture app)
{
    /// <summary>A body that does not say its length: sent in chunks, as a stream of unknown size.</summary>
    private sealed class Unsized(byte[] bytes, int chunkSize = int.MaxValue) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            // Each write goes out as one chunk.
            for (var offset = 0; offset < bytes.Length; offset += chunkSize)
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(chunkSize, bytes.Length - offset)));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_the_limit_gets_413_with_the_stable_problem_type_and_records_nothing(bool declaresLength)
    {
        var token = await app.Token("Uwe Brandt", "DE-MV", "representative");
        var proposal = await app.Api(HttpMethod.Post, "/api/resolutions", token,
            new { body = "D16", title = "Beschluss zur Barrierefreiheit", paragraphs = new[] { "Die Länder vereinbaren ..." } });
        var id = proposal["id"]!.GetValue<Guid>();
        var json = Encoding.UTF8.GetBytes("{\"text\":\"" + new string('x', 3 * 1024 * 1024) + "\"}");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/resolutions/{id}/comments")
        {
            Content = declaresLength ? new ByteArrayContent(json) : new Unsized(json),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        // With a declared length the service answers 413 before reading the body; "Expect: 100-continue" makes the client
        // wait for that answer instead of writing 3 MB into a connection the server has already closed (broken pipe).
        if (declaresLength) request.Headers.ExpectContinue = true;

        using var response = await app.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        problem["type"]!.GetValue<string>().ShouldBe("/problems/payload-too-large");
        var stored = await app.Api(HttpMethod.Get, $"/api/resolutions/{id}", token);
        stored["version"]!.GetValue<long>().ShouldBe(proposal["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_chunked_body_within_the_limit_is_accepted_however_small_its_chunks()
    {
        var token = await app.Token("Uwe Brandt", "DE-MV", "representative");
        var proposal = await app.Api(HttpMethod.Post, "/api/resolutions", token,
            new { body = "D16", title = "Beschluss zur Barrierefreiheit", paragraphs = new[] { "Die Länder vereinbaren ..." } });
        var id = proposal["id"]!.GetValue<Guid>();
        // 1.9 MiB of valid JSON (a comment and whitespace), in chunks of 64 bytes: with their framing ("40\r\n" before
        // each, "\r\n" after) about 2.1 MiB go over the wire, more than the limit of 2 MiB the content stays under.
        var json = Encoding.UTF8.GetBytes("{\"text\": \"Mecklenburg-Vorpommern bittet um Prüfung.\"" + new string(' ', 1900 * 1024) + "}");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/resolutions/{id}/comments") { Content = new Unsized(json, 64) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await app.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var stored = await app.Api(HttpMethod.Get, $"/api/resolutions/{id}", token);
        stored["version"]!.GetValue<long>().ShouldBe(proposal["version"]!.GetValue<long>() + 1);
    }
}
