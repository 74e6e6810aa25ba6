using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace BundLaenderKoordination.Api.Resolutions;

/// <summary>
/// Comments anchored to the text: on the resolution, a paragraph, or a quoted passage of one; threads of replies;
/// resolving and reopening. Comments stay possible after adoption (they are the record of why), edits do not.
/// </summary>
public static class CommentDecisions
{
    /// <summary>A comment on the current text; <paramref name="quote"/> (its <paramref name="occurrence"/>-th appearance) needs a paragraph.</summary>
    public static Decision Add(Resolution state, Body body, Guid commentId, string? paragraphId, string? quote, int occurrence, string text,
        Caller caller, DateTimeOffset now)
    {
        if (AllowedActions.Refusal(ResolutionAction.Comment, body, caller, now, ResolutionFacts.Of(state)) is { } refusal) return refusal;
        if (state.Comments.Values.Count(c => c.Land == caller.Land) is var own && own >= ResolutionLimits.MaxCommentsPerLand)
            return ResolutionLimits.Reached("comment threads per Land", ResolutionLimits.MaxCommentsPerLand,
                $"{(caller.Land is { } land ? Lands.NameOf(land) : "The chair")} has opened {own} comment threads on this resolution; reply in one of them instead.");
        string? normalizedQuote = null;
        int? quoteStart = null;
        if (paragraphId is not null)
        {
            var paragraph = state.Paragraphs.FirstOrDefault(p => p.Id == paragraphId);
            if (paragraph is null) return Problems.Invalid($"The current text has no paragraph '{paragraphId}'.");
            if (quote is not null)
            {
                normalizedQuote = TextCanonicalForm.Normalize(quote);
                quoteStart = Spans.Find(paragraph.Text, normalizedQuote, occurrence);
                if (quoteStart is null)
                    return Problems.Invalid($"\"{normalizedQuote}\" does not occur {(occurrence > 1 ? occurrence + " times " : "")}in paragraph {paragraphId} of text version {state.TextVersion}.");
            }
        }
        else if (quote is not null)
        {
            return Problems.Invalid("A quoted passage belongs to a paragraph: name it as paragraphId.");
        }
        return Decision.Accept(new CommentAdded(
            state.Id, commentId, paragraphId, TextCanonicalForm.Normalize(text), state.TextVersion,
            caller.ActingAs(ResolutionDecisions.WritingRole(caller)), now, normalizedQuote, quoteStart));
    }

    /// <summary>A reply goes into the thread of a comment, resolved or not; replying does not reopen it.</summary>
    public static Decision Reply(Resolution state, Body body, Guid commentId, Guid replyId, string text, Caller caller, DateTimeOffset now)
    {
        if (AllowedActions.Refusal(ResolutionAction.Comment, body, caller, now, ResolutionFacts.Of(state)) is { } refusal) return refusal;
        if (!state.Comments.TryGetValue(commentId, out var thread)) return Unknown(state, commentId);
        if (thread.Replies >= ResolutionLimits.MaxRepliesPerComment)
            return ResolutionLimits.Reached("replies per comment", ResolutionLimits.MaxRepliesPerComment,
                $"The thread has {thread.Replies} replies; start a new comment to go on.");
        return Decision.Accept(new CommentReplied(state.Id, commentId, replyId, TextCanonicalForm.Normalize(text), state.TextVersion,
            caller.ActingAs(ResolutionDecisions.WritingRole(caller)), now));
    }

    /// <summary>The author's Land, the Land that proposed the resolution, or the chair settle a thread; settling it again changes nothing.</summary>
    public static Decision Resolve(Resolution state, Body body, Guid commentId, Caller caller, DateTimeOffset now)
    {
        if (AllowedActions.Refusal(ResolutionAction.Comment, body, caller, now, ResolutionFacts.Of(state)) is { } refusal) return refusal;
        if (!state.Comments.TryGetValue(commentId, out var comment)) return Unknown(state, commentId);
        if (!caller.Has(Roles.Chair) && caller.Land != comment.Land && caller.Land != state.ProposingLand)
            return Problems.Forbid($"Only {Lands.NameOf(comment.Land ?? "")} (who wrote the comment), {Lands.NameOf(state.ProposingLand ?? "")} (who proposed the resolution) or the chair resolve this thread.");
        if (comment.Resolved) return Decision.Accept();
        return Decision.Accept(new CommentResolved(state.Id, commentId, ActingAs(caller), now));
    }

    /// <summary>Anyone who may comment may reopen a resolved thread: no Land's point is settled against its will.</summary>
    public static Decision Reopen(Resolution state, Body body, Guid commentId, Caller caller, DateTimeOffset now)
    {
        if (AllowedActions.Refusal(ResolutionAction.Comment, body, caller, now, ResolutionFacts.Of(state)) is { } refusal) return refusal;
        if (!state.Comments.TryGetValue(commentId, out var comment)) return Unknown(state, commentId);
        if (!comment.Resolved) return Decision.Accept();
        return Decision.Accept(new CommentReopened(state.Id, commentId, ActingAs(caller), now));
    }

    private static Actor ActingAs(Caller caller) => caller.ActingAs(caller.Has(Roles.Chair) ? Roles.Chair : Roles.Representative);

    private static ProblemDetails Unknown(Resolution state, Guid commentId) =>
        Problems.Missing($"Resolution {state.Id} has no comment {commentId}.");
}
