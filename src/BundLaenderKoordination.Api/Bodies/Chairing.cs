using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace BundLaenderKoordination.Api.Bodies;

public static class Chairing
{
    /// <summary>
    /// The acting chair: a person in the chair role acting for the Land (or the Bund) that chairs the body on this date.
    /// The chair changes by itself on the handover date of the schedule.
    /// </summary>
    public static ProblemDetails? ActingChair(Body body, Caller caller, DateTimeOffset now)
    {
        var inOffice = body.ChairOn(now);
        if (!caller.Has(Roles.Chair))
            return Problems.Forbid($"Only the chair of {body.Id} does this.");
        if (inOffice is null || caller.Land != inOffice)
            return Problems.Forbid(inOffice is null
                ? $"{body.Id} has no chair in office on {now:yyyy-MM-dd}."
                : $"{Lands.NameOf(inOffice)} chairs {body.Id} on {now:yyyy-MM-dd}; you act for {(caller.Land is null ? "no Land" : Lands.NameOf(caller.Land))}.");
        return null;
    }
}
