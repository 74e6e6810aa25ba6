using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Kernel;
using BundLaenderKoordination.Api.Notifications;
using BundLaenderKoordination.Api.Resolutions;
using Microsoft.AspNetCore.DataProtection;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Notifications;

public sealed class NoticesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Office = new("admin:1", "Verwaltung", null, Roles.Admin);
    private static readonly Body D16 = BodySeed.D16;

    private static PersonMandates Person(string id, string land, string role = Roles.Representative, bool revoked = false, string body = "D16")
    {
        var mandate = Guid.NewGuid();
        var person = PersonMandates.Next(null, id, new MandateGranted(mandate, id, id, body, land, role, Office, Now));
        person = PersonMandates.Next(person, id, new MandateApproved(mandate, id, body, Office, Now));
        return revoked ? PersonMandates.Next(person, id, new MandateRevoked(mandate, id, body, Office, Now))! : person!;
    }

    private static Resolution Proposed(IReadOnlyList<string>? restrictedTo = null) =>
        Resolution.Next(null, new ResolutionProposed(Guid.NewGuid(), "D16", "Digitale Identitäten", [new Paragraph("p1", "Die Länder erkennen die BundID an.")],
            1, "hash", new Actor("by", "Vertretung BY", "DE-BY", Roles.Representative), Now, restrictedTo))!;

    private static BallotOpened Ballot(Resolution resolution, Actor by) =>
        new(resolution.Id, Guid.NewGuid(), 1, "default", D16.RuleFor("default"), "Mehrheit", D16.Members, 1, "hash", by, Now, Now.AddDays(2));

    [Fact]
    public void A_ballot_notifies_the_voting_members_with_a_mandate_in_effect_but_not_the_chair_who_opened_it()
    {
        var chair = Person("chair", "DE-BY", Roles.Chair);
        var people = new[] { Person("he", "DE-HE"), Person("ni", "DE-NI", revoked: true), Person("bund", "BUND"), Person("imk", "DE-SN", body: "IMK"), chair };
        var resolution = Proposed();

        var eventId = Guid.NewGuid();
        var notices = Notices.ForResolutionEvent(eventId, Ballot(resolution, new Actor("chair", "Vorsitz", "DE-BY", Roles.Chair)), resolution, D16, people);

        notices.Select(n => n.PersonId).ShouldBe(["he"], "Hessen votes; Niedersachsen's mandate ended; the Bund has no vote in D16; IMK is another body");
        var notice = notices.Single();
        notice.Category.ShouldBe(NotificationCategory.Ballots);
        notice.Text.ShouldContain("Textfassung 1 (Prüfsumme hash)");
        notice.Text.ShouldContain("Frist: 04.12.2026, 10:00 Uhr (deutsche Zeit)");
        notice.Id.ShouldBe(Notification.IdFor("he", eventId, "ballot-opened"));
    }

    [Fact]
    public void The_same_person_event_and_kind_give_the_same_id_and_anything_else_another()
    {
        var e = Guid.NewGuid();
        Notification.IdFor("he", e, "ballot-opened").ShouldBe(Notification.IdFor("he", e, "ballot-opened"));
        Notification.IdFor("he", e, "ballot-opened").ShouldNotBe(Notification.IdFor("ni", e, "ballot-opened"));
        Notification.IdFor("he", e, "ballot-opened").ShouldNotBe(Notification.IdFor("he", Guid.NewGuid(), "ballot-opened"));
        Notification.IdFor("he", e, "ballot-opened").ShouldNotBe(Notification.IdFor("he", e, "adopted"));
    }

    [Fact]
    public void Nobody_outside_a_restricted_group_is_notified_and_the_mail_to_those_inside_holds_no_text()
    {
        var people = new[] { Person("by", "DE-BY"), Person("he", "DE-HE"), Person("ni", "DE-NI") };
        var resolution = Proposed(["DE-BY", "DE-HE"]);
        var amendment = new AmendmentProposed(resolution.Id, Guid.NewGuid(), 1, 1, [], "Geheime Begründung",
            new Actor("he", "Vertretung HE", "DE-HE", Roles.Representative), Now);

        var notices = Notices.ForResolutionEvent(Guid.NewGuid(), amendment, resolution, D16, people);

        notices.Select(n => n.PersonId).ShouldBe(["by"], "the proposing Land hears of the amendment; Niedersachsen is not in the group");
        var composer = new MailComposer(new NotificationOptions { BaseUrl = "https://blk.example.de" }, new UnsubscribeTokens(new EphemeralDataProtectionProvider()));
        var mail = composer.Single(notices.Single(), "by@laender.example");
        mail.Subject.ShouldBe("[D16 – Konferenz der Digitalministerinnen und Digitalminister der Länder] Neuigkeit zu einem vertraulichen Beschluss");
        foreach (var part in new[] { mail.TextBody ?? "", mail.HtmlBody ?? "" })
        {
            part.ShouldNotContain("Digitale Identitäten");
            part.ShouldNotContain("Geheime Begründung");
            part.ShouldContain($"https://blk.example.de/beschluesse/{resolution.Id}");
        }
    }

    [Fact]
    public void A_reminder_goes_to_the_representatives_of_voting_members_that_have_not_consented_and_always_notifies()
    {
        var people = new[] { Person("he", "DE-HE"), Person("ni", "DE-NI"), Person("chair", "DE-BY", Roles.Chair) };
        var resolution = Proposed();
        var started = new Api.Resolutions.WrittenProcedures.WrittenProcedureStarted(resolution.Id, Guid.NewGuid(), WrittenProcedureMode.Silence, "default",
            D16.RuleFor("default"), "Mehrheit", D16.Members, 1, "hash", Now.AddDays(3), new Actor("chair", "Vorsitz", "DE-BY", Roles.Chair), Now);
        var running = Resolution.Next(resolution, started)!;
        running = Resolution.Next(running, new Api.Resolutions.WrittenProcedures.WrittenConsentGiven(resolution.Id, started.ProcedureId, "DE-HE", 1, "hash",
            new Actor("he", "Vertretung HE", "DE-HE", Roles.Representative), Now))!;

        var reminders = Notices.Reminder(running, D16, people, Now.AddDays(2));

        reminders.Select(n => n.PersonId).ShouldBe(["ni"]);
        reminders.Single().Mandatory.ShouldBeTrue();
        reminders.Single().Category.ShouldBe(NotificationCategory.Deadlines);
    }

    [Fact]
    public void The_daily_digest_runs_at_seven_German_time_in_winter_and_in_summer()
    {
        DigestHandler.NextRun(new DateTimeOffset(2026, 12, 2, 5, 0, 0, TimeSpan.Zero), new TimeOnly(7, 0)).ShouldBe(new DateTimeOffset(2026, 12, 2, 6, 0, 0, TimeSpan.Zero));
        DigestHandler.NextRun(new DateTimeOffset(2026, 12, 2, 6, 0, 0, TimeSpan.Zero), new TimeOnly(7, 0)).ShouldBe(new DateTimeOffset(2026, 12, 3, 6, 0, 0, TimeSpan.Zero));
        DigestHandler.NextRun(new DateTimeOffset(2026, 7, 1, 4, 0, 0, TimeSpan.Zero), new TimeOnly(7, 0)).ShouldBe(new DateTimeOffset(2026, 7, 1, 5, 0, 0, TimeSpan.Zero));
    }
}
