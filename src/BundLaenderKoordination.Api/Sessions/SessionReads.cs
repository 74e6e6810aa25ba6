using Marten;

namespace BundLaenderKoordination.Api.Sessions;

public sealed record SessionSummary(Guid Id, string Kind, string Format, string Status, DateTimeOffset StartsAt);

public static class SessionReads
{
    public static Task<IReadOnlyList<SessionSummary>> OfBodyAsync(IQuerySession session, string body, DateTimeOffset? at, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<SessionSummary>>([]);
}
