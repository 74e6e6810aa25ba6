using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Resolutions;

namespace BundLaenderKoordination.Api.Notifications;

/// <summary>
/// An amendment that changes a paragraph a Land commented on tells that Land's representatives: their comment may be
/// answered, or overtaken, by it. Whoever already hears of the amendment as the proposing Land is not told twice.
/// </summary>
public static class AmendmentNotices
{
    /// <summary>The paragraphs an amendment changes (an insertion after a paragraph changes none).</summary>
    public static IReadOnlySet<string> Touched(AmendmentProposed amendment) =>
        amendment.Changes.Where(c => c.Kind != AmendmentChangeKind.Insert && c.ParagraphId is not null).Select(c => c.ParagraphId!).ToHashSet();

    public static IReadOnlyList<Notification> OnCommentedParagraphs(Guid eventId, AmendmentProposed amendment, Resolution resolution, Body body,
        IReadOnlyList<PersonMandates> people, IEnumerable<CommentAdded> comments, IReadOnlyCollection<Notification> alreadyTold)
    {
        var touched = Touched(amendment);
        var told = alreadyTold.Select(n => n.PersonId).ToHashSet();
        var commenters = comments.Where(c => c.ParagraphId is { } p && touched.Contains(p) && c.CommentedBy.ActingFor is not null
                                             && c.CommentedBy.ActingFor != amendment.ProposedBy.ActingFor)
            .Select(c => c.CommentedBy.ActingFor!).Distinct().Order(StringComparer.Ordinal).ToList();
        var by = amendment.ProposedBy.ActingFor is { } land ? Lands.NameOf(land) : amendment.ProposedBy.PersonName;
        var notices = new List<Notification>();
        foreach (var commenter in commenters)
        {
            var recipients = Notices.Recipients(people, body.Id, [commenter], resolution.RestrictedTo, amendment.ProposedBy.PersonId)
                .Where(r => r.Mandate.Land == commenter && !told.Contains(r.PersonId)).ToList();
            foreach (var r in recipients)
            {
                told.Add(r.PersonId);
                notices.Add(new Notification
                {
                    Id = Notification.IdFor(r.PersonId, eventId, "amendment-on-commented-paragraph"),
                    PersonId = r.PersonId,
                    Category = NotificationCategory.Amendments,
                    Title = $"Änderungsantrag Ä{amendment.Number} zu einem Absatz, den Ihr Land kommentiert hat: {resolution.Title}",
                    Text = $"""
                        {by} beantragt mit Ä{amendment.Number} eine Änderung an „{resolution.Title}“. Sie betrifft einen Absatz, zu dem Ihr Land einen Kommentar geschrieben hat.

                        Begründung: {amendment.Rationale}
                        """.Trim(),
                    OccurredAt = amendment.ProposedAt,
                    Status = DeliveryStatus.Pending,
                    Body = body.Id,
                    BodyName = body.Name,
                    ResolutionId = resolution.Id,
                    Link = $"/beschluesse/{resolution.Id}",
                    Restricted = resolution.RestrictedTo.Count > 0,
                });
            }
        }
        return notices;
    }
}
