using Marten;

namespace BundLaenderKoordination.Api.Web;

/// <summary>
/// Where a body's or session's page starts listening: the body's live stream numbers its entries by the event store's
/// global sequence, so the page names the highest one committed before it read what it shows, and hears only what came
/// after (<c>wwwroot/js/live-page.js</c>).
/// </summary>
public static class LivePages
{
    public static Task<long> Since(HttpContext context, CancellationToken ct) =>
        context.RequestServices.GetRequiredService<IDocumentStore>().Storage.Database.FetchHighestEventSequenceNumber(ct);

    public static string Path(string body, long since) => $"/gremien/{Uri.EscapeDataString(body)}/live?lastEventId={since}";
}
