using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using Microsoft.AspNetCore.Mvc;

namespace BundLaenderKoordination.Api.Web.Pages;

/// <summary>
/// The acts on a resolution besides negotiating its text: the chair in office opens a ballot (optionally with a
/// deadline in German local time) and cancels one; the proposing Land or the chair widens who may read a confidential
/// resolution or opens it to all; the proposing Land withdraws it. The forms are in <c>Shared/_BallotChair</c> and
/// <c>Shared/_ResolutionAccess</c>.
/// </summary>
public sealed partial class ResolutionModel
{
    /// <summary>The ballot deadline as the chair typed it, kept in the form after a refusal.</summary>
    public string? DraftDeadline { get; private set; }

    public async Task<IActionResult> OnPostOpenBallot(string? matterType, string? deadline, CancellationToken ct)
    {
        string? due = null;
        if (!string.IsNullOrWhiteSpace(deadline))
        {
            if (GermanTime.TryRead(deadline, out var at) is var problem && problem != GermanTime.Problem.None)
            {
                Error = GermanTime.Explain(problem, l, "die Frist", "the deadline");
                ErrorAt = "votes";
                DraftDeadline = deadline;
                Response.StatusCode = 400;
                return await Show(ct);
            }
            due = at.ToString("O");
        }
        var result = await api.Send(HttpMethod.Post, $"/api/resolutions/{Id}/ballots",
            new { matterType = string.IsNullOrEmpty(matterType) ? "default" : matterType, deadline = due }, ct);
        if (result.Ok)
            return Done(l.T($"Abstimmung über Textfassung {result.Value!["textVersion"]} eröffnet.", $"Ballot on text version {result.Value!["textVersion"]} opened."), "votes");
        DraftDeadline = deadline;
        return await Refused(result.Problem!, ct);
    }

    /// <summary>The chair in office cancels the open ballot: its votes become void and the text can change again.</summary>
    public async Task<IActionResult> OnPostCancelBallot(string? reason, bool confirm, CancellationToken ct)
    {
        if (!confirm) return await NotConfirmed("votes", ct);
        var result = await api.Send(HttpMethod.Post, $"/api/resolutions/{Id}/ballots/current/cancellation", new { reason = reason?.Trim() }, ct);
        if (result.Ok) return Done(l.T("Abstimmung abgebrochen; die abgegebenen Stimmen verfallen, der Text kann wieder geändert werden.",
            "Ballot cancelled; the votes cast are void and the text can change again."), "votes");
        return await Refused(result.Problem!, ct);
    }

    /// <summary>
    /// Widens who may read the resolution: the group as it stands plus those ticked (the service keeps every member and
    /// refuses a narrower group), or opens it to all readers.
    /// </summary>
    public async Task<IActionResult> OnPostWiden(string[]? readers, bool openToAll, long expectedVersion, CancellationToken ct)
    {
        var current = await api.Get<ResolutionView>($"/api/resolutions/{Id}", ct);
        if (!current.Ok) return await Refused(current.Problem!, ct);
        IReadOnlyList<string> group = openToAll ? [] : [.. current.Value!.RestrictedTo.Concat(readers ?? []).Distinct()];
        if (!openToAll && group.Count == current.Value!.RestrictedTo.Count)
        {
            Response.StatusCode = 400;
            var shown = await Show(ct);
            Error = l.T("Bitte wählen Sie, wer hinzukommt, oder öffnen Sie den Beschluss für alle; nichts wurde gespeichert.",
                "Please choose who is added, or open the resolution to all; nothing was recorded.");
            ErrorAt = "manage";
            return shown;
        }
        var result = await api.Send(HttpMethod.Put, $"/api/resolutions/{Id}/restriction", new { restrictedTo = group, expectedVersion }, ct);
        if (result.Ok)
            return Done(openToAll
                ? l.T("Der Beschluss ist jetzt für alle Lesenden offen.", "The resolution is now open to all readers.")
                : l.T($"Leserkreis erweitert: {string.Join(", ", group.Select(m => m == Confidentiality.Chair ? "Vorsitz" : Lands.NameOf(m)))}.",
                    $"Readers widened: {string.Join(", ", group.Select(m => m == Confidentiality.Chair ? "the chair" : Lands.NameOf(m)))}."), "manage");
        return await Refused(result.Problem!, ct);
    }

    /// <summary>The proposing Land withdraws its proposal; binding, so it is sent only with its confirmation.</summary>
    public async Task<IActionResult> OnPostWithdraw(string? reason, bool confirm, CancellationToken ct)
    {
        if (!confirm) return await NotConfirmed("manage", ct);
        var result = await api.Send(HttpMethod.Post, $"/api/resolutions/{Id}/withdrawal", new { reason = reason?.Trim() }, ct);
        if (result.Ok) return Done(l.T("Der Beschlussvorschlag ist zurückgezogen.", "The proposal is withdrawn."), "manage");
        return await Refused(result.Problem!, ct);
    }

    /// <summary>The chair in office moves the open ballot's deadline, typed in German local time; it then closes by itself at the new one.</summary>
    public async Task<IActionResult> OnPostChangeDeadline(string? deadline, CancellationToken ct)
    {
        if (GermanTime.TryRead(deadline, out var at) is var problem && problem != GermanTime.Problem.None)
        {
            Error = GermanTime.Explain(problem, l, "die neue Frist", "the new deadline");
            ErrorAt = "votes";
            DraftDeadline = deadline;
            Response.StatusCode = 400;
            return await Show(ct);
        }
        var result = await api.Send(HttpMethod.Put, $"/api/resolutions/{Id}/ballots/current/deadline", new { deadline = at.ToString("O") }, ct);
        if (result.Ok)
            return Done(l.T($"Frist geändert: die Abstimmung schließt am {l.Time(at)} von selbst.", $"Deadline changed: the ballot closes by itself on {l.Time(at)}."), "votes");
        DraftDeadline = deadline;
        return await Refused(result.Problem!, ct);
    }
}
