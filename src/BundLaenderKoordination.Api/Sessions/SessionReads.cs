using Marten;

namespace BundLaenderKoordination.Api.Sessions;

/// <summary>A session as a body lists it: when and how it meets, its agenda, who was present, when it opened and closed.</summary>
public sealed record SessionSummary(
    Guid Id,
    SessionKind Kind,
    SessionFormat Format,
    SessionStatus Status,
    DateTimeOffset StartsAt,
    string? Place,
    IReadOnlyList<AgendaItemView> Agenda,
    IReadOnlyList<string> Present,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? ClosedAt,
    long Version);

public static class SessionReads
{
    /// <summary>
    /// The sessions of a body by start, now (<paramref name="at"/> null) or as they stood at an instant: each folded
    /// from its own events up to that instant, agenda and attendance included.
    /// </summary>
    public static async Task<IReadOnlyList<SessionSummary>> OfBodyAsync(IQuerySession session, string body, DateTimeOffset? at, CancellationToken ct)
    {
        var sessions = await session.Query<SessionView>().Where(s => s.Body == body).ToListAsync(ct);
        if (at is null) return [.. sessions.OrderBy(s => s.StartsAt).Select(s => s.ToSummary())];

        var then = new List<SessionSummary>();
        foreach (var current in sessions.Where(s => s.ScheduledAt <= at))
        {
            var events = await session.Events.FetchStreamAsync(current.Id, timestamp: at.Value, token: ct);
            if (SessionView.Fold(events.Select(e => e.Data)) is { } view) then.Add(view.ToSummary());
        }
        return [.. then.OrderBy(s => s.StartsAt)];
    }
}
