using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;

namespace BundLaenderKoordination.Api.Sessions;

/// <summary>Sessions and special-session requests as pure functions of (command, state, body, caller, time).</summary>
public static class SessionDecisions
{
    public static Decision Schedule(Guid sessionId, Body body, SessionKind kind, SessionFormat format, string? place, DateTimeOffset startsAt,
        SpecialSessionRequestView? request, Caller caller, DateTimeOffset now)
    {
        if (Chairing.ActingChair(body, caller, now) is { } notChair) return notChair;
        if (kind == SessionKind.Special)
        {
            if (request is null || request.Body != body.Id)
                return Problems.Make(Problems.SessionRule, 422, "A special session needs a convened request.",
                    $"Name the special-session request of {body.Id} that a majority of its members supported (specialRequestId).");
            if (!request.Convened)
                return Problems.Make(Problems.SessionRule, 422, "The request has not been convened yet.",
                    $"{request.Supporters.Count} of {body.VotingMembers} members support it; {body.MajorityOfMembers} are needed.");
        }
        return Decision.Accept(new SessionScheduled(sessionId, body.Id, kind, format, place, startsAt, request?.Id, caller.ActingAs(Roles.Chair), now));
    }

    public static Decision AddAgendaItem(SessionView session, Body body, Guid itemId, Guid? resolutionId, string? resolutionBody, string title,
        string? note, Caller caller, DateTimeOffset now)
    {
        if (Chairing.ActingChair(body, caller, now) is { } notChair) return notChair;
        if (session.Status == SessionStatus.Closed) return Closed(session);
        if (resolutionId is not null && resolutionBody != body.Id)
            return Problems.Make(Problems.SessionRule, 422, "The resolution is not before this body.",
                $"Resolution {resolutionId} is {(resolutionBody is null ? "unknown" : "before " + resolutionBody)}; the session is one of {body.Id}.");
        if (resolutionId is not null && session.Agenda.Any(i => i.ResolutionId == resolutionId)) return Decision.Accept();
        return Decision.Accept(new AgendaItemAdded(session.Id, itemId, session.Agenda.Count + 1, resolutionId, title, note, caller.ActingAs(Roles.Chair), now));
    }

    public static Decision Open(SessionView session, Body body, Caller caller, DateTimeOffset now)
    {
        if (Chairing.ActingChair(body, caller, now) is { } notChair) return notChair;
        if (session.Status != SessionStatus.Scheduled)
            return Problems.Make(Problems.SessionState, 409, "The session is not waiting to be opened.", $"The session is {session.Status.ToString().ToLowerInvariant()}.");
        return Decision.Accept(new SessionOpened(session.Id, caller.ActingAs(Roles.Chair), now));
    }

    public static Decision RecordAttendance(SessionView session, Body body, IReadOnlyList<string> present, Caller caller, DateTimeOffset now)
    {
        if (Chairing.ActingChair(body, caller, now) is { } notChair) return notChair;
        if (session.Status != SessionStatus.Open)
            return Problems.Make(Problems.SessionState, 409, "Attendance is recorded while the session is open.", $"The session is {session.Status.ToString().ToLowerInvariant()}.");
        if (present.FirstOrDefault(land => body.MemberFor(land) is null) is { } stranger)
            return Problems.Invalid($"{Lands.NameOf(stranger)} is not a member of {body.Id}.");
        return Decision.Accept(new AttendanceRecorded(session.Id, [.. present.Distinct().Order(StringComparer.Ordinal)], caller.ActingAs(Roles.Chair), now));
    }

    public static Decision Close(SessionView session, Body body, Caller caller, DateTimeOffset now)
    {
        if (Chairing.ActingChair(body, caller, now) is { } notChair) return notChair;
        if (session.Status != SessionStatus.Open)
            return Problems.Make(Problems.SessionState, 409, "Only an open session can be closed.", $"The session is {session.Status.ToString().ToLowerInvariant()}.");
        return Decision.Accept(new SessionClosed(session.Id, caller.ActingAs(Roles.Chair), now));
    }

    /// <summary>Any voting member may ask for a special session, with a reason; its own Land is the first supporter.</summary>
    public static Decision Request(Guid requestId, Body body, string reason, Caller caller, DateTimeOffset now)
    {
        if (VotingRepresentative(body, caller) is { } refusal) return refusal;
        var requested = new SpecialSessionRequested(requestId, body.Id, reason, caller.Land!, caller.ActingAs(Roles.Representative), now);
        return Convene(SpecialSessionRequestView.Next(null, requested)!, body, caller, now, requested);
    }

    /// <summary>Support of a voting member; the support that makes a majority of the voting members convenes the session.</summary>
    public static Decision Support(SpecialSessionRequestView request, Body body, Caller caller, DateTimeOffset now)
    {
        if (VotingRepresentative(body, caller) is { } refusal) return refusal;
        if (request.Convened)
            return Problems.Make(Problems.SessionState, 409, "The special session is convened already.",
                $"{request.Supporters.Count} members supported it; the chair schedules it.");
        if (request.Supporters.Contains(caller.Land!)) return Decision.Accept();
        var supported = new SpecialSessionSupported(request.Id, caller.Land!, caller.ActingAs(Roles.Representative), now);
        return Convene(SpecialSessionRequestView.Next(request, supported)!, body, caller, now, supported);
    }

    private static Decision Convene(SpecialSessionRequestView after, Body body, Caller caller, DateTimeOffset now, object step)
    {
        var voting = after.Supporters.Count(land => body.MemberFor(land) is { Voting: true });
        if (voting < body.MajorityOfMembers) return Decision.Accept(step);
        return Decision.Accept(step, new SpecialSessionConvened(after.Id, body.Id, after.Supporters, body.MajorityOfMembers, caller.ActingAs(Roles.Representative), now));
    }

    private static Microsoft.AspNetCore.Mvc.ProblemDetails? VotingRepresentative(Body body, Caller caller)
    {
        if (!caller.Has(Roles.Representative))
            return Problems.Forbid("Only a representative asks for or supports a special session, for the Land they act for.");
        if (caller.Land is null || body.MemberFor(caller.Land) is not { } member)
            return Problems.Forbid($"{(caller.Land is null ? "You act for no Land" : Lands.NameOf(caller.Land) + " is not a member of " + body.Id)}.");
        if (!member.Voting)
            return Problems.Forbid($"{Lands.NameOf(caller.Land)} sits in {body.Id} without a vote and cannot ask for a special session.");
        return null;
    }

    private static Microsoft.AspNetCore.Mvc.ProblemDetails Closed(SessionView session) =>
        Problems.Make(Problems.SessionState, 409, "The session is closed.", $"The session of {session.StartsAt:yyyy-MM-dd} is closed; add the item to a later session.");
}
