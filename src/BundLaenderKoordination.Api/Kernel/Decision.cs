using Microsoft.AspNetCore.Mvc;

namespace BundLaenderKoordination.Api.Kernel;

/// <summary>
/// What a decide function returns: the events to append and the messages that follow from them (such as a deadline
/// to fire later), or the refusal and nothing at all. Events and messages commit in one transaction (Wolverine's
/// outbox on the Marten session): there is never a ballot without its deadline, nor a deadline without its ballot.
/// </summary>
public sealed record Decision(IReadOnlyList<object> Events, ProblemDetails? Refusal)
{
    public IReadOnlyList<ScheduledMessage> Scheduled { get; init; } = [];

    public static Decision Accept(params object[] events) => new(events, null);
    public static Decision Refuse(ProblemDetails refusal) => new([], refusal);

    /// <summary>The same decision, and also <paramref name="message"/> delivered at <paramref name="at"/>.</summary>
    public Decision Schedule(object message, DateTimeOffset at) => this with { Scheduled = [.. Scheduled, new(message, at)] };

    public static implicit operator Decision(ProblemDetails refusal) => Refuse(refusal);
}

/// <summary>A message to deliver at a given time, durably (it waits in PostgreSQL, not in memory).</summary>
public sealed record ScheduledMessage(object Message, DateTimeOffset At);
