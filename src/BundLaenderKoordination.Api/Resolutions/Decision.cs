using Microsoft.AspNetCore.Mvc;

namespace BundLaenderKoordination.Api.Resolutions;

/// <summary>What a decide function returns: the events to append, or the refusal and nothing to append.</summary>
public sealed record Decision(IReadOnlyList<object> Events, ProblemDetails? Refusal)
{
    public static Decision Accept(params object[] events) => new(events, null);
    public static Decision Refuse(ProblemDetails refusal) => new([], refusal);

    public static implicit operator Decision(ProblemDetails refusal) => Refuse(refusal);
}
