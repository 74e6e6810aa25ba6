using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.Positions;
using BundLaenderKoordination.Api.Resolutions.WrittenProcedures;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Resolutions;

/// <summary>
/// The one answer to "may this person do this now", per persona and state, and the proof that it is the answer the
/// API gives: for every action the real decide function refuses exactly when <see cref="AllowedActions"/> says no, and a
/// refusal for who the caller is carries the problem details the function names.
/// </summary>
public sealed class AllowedActionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid Id = Guid.Parse("0193a5d0-0000-7000-8000-0000000000a1");
    private static readonly Guid AmendmentId = Guid.Parse("0193a5d0-0000-7000-8000-0000000000a2");

    /// <summary>D16 (chaired by Bavaria, the Bund without a vote) with Saarland left out, so that one Land is no member.</summary>
    private static readonly Body Body = BodySeed.D16 with { Members = [.. BodySeed.D16.Members.Where(m => m.Land != "DE-SL")] };

    private static Caller Person(string name, string? role = null, string? land = null, params string[] tokenRoles) =>
        new Caller("p:" + name, name, null, tokenRoles.ToHashSet(),
            role is null ? [] : [new HeldMandate(Body.Id, land!, role)]).In(Body.Id);

    public static readonly IReadOnlyDictionary<string, Caller> Personas = new Dictionary<string, Caller>
    {
        ["representative of a voting Land"] = Person("Hessen", Roles.Representative, "DE-HE"),
        ["representative of the proposing Land"] = Person("Bayern", Roles.Representative, "DE-BY"),
        ["representative of a member without a vote"] = Person("Bund", Roles.Representative, Lands.Bund),
        ["representative of a Land that is no member"] = Person("Saarland", Roles.Representative, "DE-SL"),
        ["chair in office"] = Person("Vorsitz", Roles.Chair, "DE-BY"),
        ["chair not in office"] = Person("Vorsitz NW", Roles.Chair, "DE-NW"),
        ["observer"] = Person("Beobachtung", tokenRoles: Roles.Observer),
        ["auditor"] = Person("Prüfung", tokenRoles: Roles.Auditor),
        ["coordinator"] = Person("Koordination", Roles.Coordinator, "DE-HE"),
    };

    private static Resolution Apply(Resolution state, Decision decision, List<object>? log = null)
    {
        decision.Refusal.ShouldBeNull();
        log?.AddRange(decision.Events);
        return decision.Events.Aggregate((Resolution?)state, Resolution.Next)!;
    }

    private static Resolution AllVoteYes(Resolution state, List<object>? log) =>
        Body.Members.Where(m => m.Voting).Aggregate(state, (s, m) =>
            Apply(s, ResolutionDecisions.Vote(s, Body, VoteChoice.Yes, s.TextVersion, Person(m.Land, Roles.Representative, m.Land), Now), log));

    /// <summary>Proposed by Bavaria, with an open amendment by Lower Saxony and every voting member's yes on the text.</summary>
    private static Resolution UnderNegotiation(List<object>? log = null)
    {
        var proposed = ResolutionDecisions.Propose(Id, Body, "Titel", ["Erster Absatz.", "Zweiter Absatz."],
            Personas["representative of the proposing Land"], Now).Events;
        log?.AddRange(proposed);
        var state = Resolution.Fold(proposed)!;
        state = Apply(state, AmendmentDecisions.Propose(state, Body, AmendmentId, 1,
            [new AmendmentChangeInput(AmendmentChangeKind.Replace, "p2", null, null, 1, "Zweiter Absatz, geändert.")], "Klarer.",
            Person("Niedersachsen", Roles.Representative, "DE-NI"), Now), log);
        return AllVoteYes(state, log);
    }

    private static Resolution BallotOpen(List<object>? log = null)
    {
        var state = UnderNegotiation(log);
        state = Apply(state, BallotDecisions.Open(state, Body, Body.DefaultMatterType, Guid.CreateVersion7(), Personas["chair in office"], Now), log);
        return AllVoteYes(state, log);
    }

    private static Resolution WrittenProcedureRunning(List<object>? log = null)
    {
        var state = UnderNegotiation(log);
        return Apply(state, WrittenProcedureDecisions.Start(state, Body, Guid.CreateVersion7(), Now.AddDays(14), Personas["chair in office"], Now), log);
    }

    private static Resolution Adopted(List<object>? log = null)
    {
        var state = UnderNegotiation(log);
        return Apply(state, BallotDecisions.Adopt(state, Body, Personas["chair in office"], Now), log);
    }

    /// <summary>Each state, built by the decide functions; the events that led to it go to the log when one is given.</summary>
    public static readonly IReadOnlyDictionary<string, Func<List<object>?, Resolution>> Builders = new Dictionary<string, Func<List<object>?, Resolution>>
    {
        ["under negotiation"] = UnderNegotiation,
        ["ballot open"] = BallotOpen,
        ["written procedure running"] = WrittenProcedureRunning,
        ["adopted"] = Adopted,
    };

    public static readonly IReadOnlyDictionary<string, Func<Resolution>> States =
        Builders.ToDictionary(b => b.Key, b => (Func<Resolution>)(() => b.Value(null)));

    private const string Nothing = "";

    /// <summary>What each persona may do in each state, written out by hand from the rules of procedure.</summary>
    public static TheoryData<string, string, string> Expected => new()
    {
        { "representative of a voting Land", "under negotiation", "Edit Comment Amend SupportAmendment Bracket Vote RecordPosition" },
        { "representative of a voting Land", "ballot open", "Comment Amend SupportAmendment Vote RecordPosition" },
        { "representative of a voting Land", "written procedure running", "Comment Amend SupportAmendment AnswerWrittenProcedure RecordPosition" },
        { "representative of a voting Land", "adopted", "Comment SupportAmendment Declare" },

        { "representative of the proposing Land", "under negotiation",
            "Edit Comment Amend SupportAmendment DecideAmendment Bracket ResolveBracket Vote RecordPosition Withdraw" },
        { "representative of the proposing Land", "ballot open", "Comment Amend SupportAmendment DecideAmendment ResolveBracket Vote RecordPosition" },
        { "representative of the proposing Land", "written procedure running",
            "Comment Amend SupportAmendment DecideAmendment ResolveBracket AnswerWrittenProcedure RecordPosition" },
        { "representative of the proposing Land", "adopted", "Comment SupportAmendment Declare" },

        { "representative of a member without a vote", "under negotiation", "Edit Comment Amend SupportAmendment Bracket RecordPosition" },
        { "representative of a member without a vote", "ballot open", "Comment Amend SupportAmendment RecordPosition" },
        { "representative of a member without a vote", "written procedure running", "Comment Amend SupportAmendment RecordPosition" },
        { "representative of a member without a vote", "adopted", "Comment SupportAmendment Declare" },

        { "chair in office", "under negotiation",
            "Edit Comment Amend SupportAmendment DecideAmendment Bracket ResolveBracket OpenBallot Adopt StartWrittenProcedure" },
        { "chair in office", "ballot open", "Comment Amend SupportAmendment DecideAmendment ResolveBracket CloseBallot Adopt" },
        { "chair in office", "written procedure running", "Comment Amend SupportAmendment DecideAmendment ResolveBracket" },
        { "chair in office", "adopted", "Comment SupportAmendment" },

        { "chair not in office", "under negotiation", "Edit Comment Amend SupportAmendment DecideAmendment Bracket ResolveBracket" },
        { "chair not in office", "ballot open", "Comment Amend SupportAmendment DecideAmendment ResolveBracket" },
        { "chair not in office", "written procedure running", "Comment Amend SupportAmendment DecideAmendment ResolveBracket" },
        { "chair not in office", "adopted", "Comment SupportAmendment" },

        { "representative of a Land that is no member", "under negotiation", Nothing },
        { "representative of a Land that is no member", "ballot open", Nothing },
        { "representative of a Land that is no member", "written procedure running", Nothing },
        { "representative of a Land that is no member", "adopted", Nothing },
        { "observer", "under negotiation", Nothing },
        { "observer", "ballot open", Nothing },
        { "observer", "written procedure running", Nothing },
        { "observer", "adopted", Nothing },
        { "auditor", "under negotiation", Nothing },
        { "auditor", "adopted", Nothing },
        { "coordinator", "under negotiation", Nothing },
        { "coordinator", "ballot open", Nothing },
        { "coordinator", "written procedure running", Nothing },
        { "coordinator", "adopted", Nothing },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void Each_persona_may_do_in_each_state_what_the_rules_of_procedure_say(string persona, string state, string allowed)
    {
        var actions = AllowedActions.For(Body, Personas[persona], Now, ResolutionFacts.Of(States[state]()));
        var granted = Enum.GetValues<ResolutionAction>().Where(actions.Allows).Select(a => a.ToString());
        granted.ShouldBe(allowed.Split(' ', StringSplitOptions.RemoveEmptyEntries), ignoreOrder: true);
    }

    public static TheoryData<string, string> Matrix()
    {
        var data = new TheoryData<string, string>();
        foreach (var persona in Personas.Keys)
            foreach (var state in States.Keys)
                data.Add(persona, state);
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void The_decide_functions_refuse_exactly_what_the_function_does_not_allow(string persona, string stateName)
    {
        var caller = Personas[persona];
        var state = States[stateName]();
        var facts = ResolutionFacts.Of(state);
        var actions = AllowedActions.For(Body, caller, Now, facts);

        foreach (var action in Enum.GetValues<ResolutionAction>())
        {
            var decision = Drive(action, state, caller);
            (decision.Refusal is null).ShouldBe(actions.Allows(action),
                $"{persona}, {stateName}, {action}: the function says {(actions.Allows(action) ? "allowed" : "not allowed")}, the decision {(decision.Refusal is null ? "accepts" : "refuses: " + decision.Refusal.Detail)}");

            // A refusal for who the caller is is the one the function gives, to the letter.
            var who = AllowedActions.Refusal(action, Body, caller, Now, facts);
            if (decision.Refusal is { Status: 403 } refusal)
            {
                who.ShouldNotBeNull($"{persona}, {stateName}, {action}");
                (refusal.Type, refusal.Status, refusal.Title, refusal.Detail).ShouldBe((who.Type, who.Status, who.Title, who.Detail));
            }
        }
    }

    /// <summary>Each action through the real decide function, with input that is valid in itself (current text, no brackets in the way).</summary>
    private static Decision Drive(ResolutionAction action, Resolution state, Caller caller) => action switch
    {
        ResolutionAction.Edit => ResolutionDecisions.EditText(state, Body, [new("p1", "Erster Absatz, neu."), new("p2", state.Paragraphs[1].Text)], caller, Now),
        ResolutionAction.Comment => CommentDecisions.Add(state, Body, Guid.CreateVersion7(), "p1", null, 1, "Eine Anmerkung.", caller, Now),
        ResolutionAction.Amend => AmendmentDecisions.Propose(state, Body, Guid.CreateVersion7(), state.TextVersion,
            [new AmendmentChangeInput(AmendmentChangeKind.Replace, "p1", null, null, 1, "Erster Absatz, anders.")], "Besser.", caller, Now),
        ResolutionAction.SupportAmendment => AmendmentDecisions.Support(state, Body, AmendmentId, caller, Now),
        ResolutionAction.DecideAmendment => AmendmentDecisions.Reject(state, Body, AmendmentId, "Nicht nötig.", caller, Now),
        ResolutionAction.Bracket => BracketDecisions.Bracket(state, Body, Guid.CreateVersion7(), "p1", "Erster", 1, ["Einziger"], caller, Now),
        // A bracket put into the state as it stands: a bracket changes none of the facts the function reads.
        ResolutionAction.ResolveBracket => BracketDecisions.Resolve(
            state with { Brackets = state.Brackets.Add(new BracketState(AmendmentId, 1, "p1", "Erster", 0, [], true)) },
            Body, AmendmentId, 0, null, caller, Now),
        ResolutionAction.Vote => ResolutionDecisions.Vote(state, Body, VoteChoice.No, state.TextVersion, caller, Now),
        ResolutionAction.OpenBallot => BallotDecisions.Open(state, Body, Body.DefaultMatterType, Guid.CreateVersion7(), caller, Now),
        ResolutionAction.CloseBallot => BallotDecisions.Close(state, Body, caller, Now),
        ResolutionAction.Adopt => BallotDecisions.Adopt(state, Body, caller, Now),
        ResolutionAction.StartWrittenProcedure => WrittenProcedureDecisions.Start(state, Body, Guid.CreateVersion7(), Now.AddDays(7), caller, Now),
        ResolutionAction.AnswerWrittenProcedure => WrittenProcedureDecisions.Consent(state, Body, caller, Now),
        ResolutionAction.RecordPosition => PositionDecisions.Record(state, Body, Position.Agreement, null, caller, Now),
        ResolutionAction.Declare => PositionDecisions.Attach(state, Body, Guid.CreateVersion7(), "Unsere Erklärung.", caller, Now),
        ResolutionAction.Withdraw => PositionDecisions.Withdraw(state, "Erledigt.", caller, Now),
        ResolutionAction.ChangeRestriction => ResolutionDecisions.ChangeRestriction(state, Body, [], caller, Now),
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    [Fact]
    public void A_restricted_resolution_is_opened_by_the_proposing_Land_or_the_chair_in_office_and_the_body_decides_only_in_the_open()
    {
        var state = UnderNegotiation() with { RestrictedTo = ["DE-BY", "DE-HE", Confidentiality.Chair] };
        var facts = ResolutionFacts.Of(state);
        foreach (var (persona, caller) in Personas)
        {
            var actions = AllowedActions.For(Body, caller, Now, facts);
            var decision = ResolutionDecisions.ChangeRestriction(state, Body, [], caller, Now);
            (decision.Refusal is null).ShouldBe(actions.ChangeRestriction, persona);
            actions.ChangeRestriction.ShouldBe(persona is "representative of the proposing Land" or "chair in office", persona);
            actions.OpenBallot.ShouldBeFalse(persona);
            actions.Adopt.ShouldBeFalse(persona);
            actions.StartWrittenProcedure.ShouldBeFalse(persona);
        }
    }

    [Fact]
    public void The_chair_in_office_follows_the_schedule_on_the_day_of_the_handover()
    {
        var body = Body with { ChairSchedule = [new ChairTerm("DE-BY", new DateOnly(2020, 1, 1)), new ChairTerm("DE-NW", new DateOnly(2026, 11, 29))] };
        var facts = ResolutionFacts.Of(UnderNegotiation());
        var nw = Person("Vorsitz NW", Roles.Chair, "DE-NW").In(body.Id);
        AllowedActions.For(body, nw, Now, facts).OpenBallot.ShouldBeFalse();
        AllowedActions.For(body, nw, Now.AddDays(1), facts).OpenBallot.ShouldBeTrue();
        AllowedActions.Refusal(ResolutionAction.OpenBallot, body, nw, Now, facts)!.Detail
            .ShouldBe($"{Lands.NameOf("DE-BY")} chairs D16 on 2026-11-28; you act for {Lands.NameOf("DE-NW")}.");
    }

    [Fact]
    public void A_Land_that_has_answered_a_written_procedure_is_known_as_answered()
    {
        var state = WrittenProcedureRunning();
        var he = Personas["representative of a voting Land"];
        state = Apply(state, WrittenProcedureDecisions.Consent(state, Body, he, Now));
        var facts = ResolutionFacts.Of(state);
        facts.Answered("DE-HE").ShouldBeTrue();
        facts.Answered("DE-BY").ShouldBeFalse();
        // Consenting again changes nothing, and is not refused: the page leaves the form out, the API accepts it.
        AllowedActions.For(Body, he, Now, facts).AnswerWrittenProcedure.ShouldBeTrue();
        var again = WrittenProcedureDecisions.Consent(state, Body, he, Now);
        again.Refusal.ShouldBeNull();
        again.Events.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void The_pages_read_model_gives_the_same_answer_as_the_write_model(string persona, string stateName)
    {
        var log = new List<object>();
        var state = Builders[stateName](log);
        var view = log.Aggregate((Api.Resolutions.GettingResolution.ResolutionView?)null, Api.Resolutions.GettingResolution.ResolutionViewProjection.Next)!;
        var caller = Personas[persona];
        AllowedActions.For(Body, caller, Now, ResolutionFacts.Of(view, Body)).ShouldBe(AllowedActions.For(Body, caller, Now, ResolutionFacts.Of(state)));
    }
}
