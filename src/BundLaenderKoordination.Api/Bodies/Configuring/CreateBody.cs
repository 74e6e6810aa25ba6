using System.Security.Claims;
using System.Text.RegularExpressions;
using BundLaenderKoordination.Api.Bodies.GettingBody;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace BundLaenderKoordination.Api.Bodies.Configuring;

public sealed partial record CreateBody(string? Code, string? Name, IReadOnlyList<MemberInput?>? Members,
    IReadOnlyDictionary<string, RuleInput?>? Rules, IReadOnlyList<ChairTermInput?>? ChairSchedule, WrittenProcedureInput? WrittenProcedure)
{
    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{0,19}$")]
    public static partial Regex CodePattern();
}

public static class CreateBodyEndpoint
{
    public static ProblemDetails Validate(CreateBody command)
    {
        if (command.Code is null || !CreateBody.CodePattern().IsMatch(command.Code))
            return Problems.Invalid("The code is 1 to 20 capital letters, digits or hyphens, such as \"D16\" or \"BL-KI\".");
        var (_, problem) = new BodyInput(command.Name, command.Members, command.Rules, command.ChairSchedule, command.WrittenProcedure).Parse();
        return problem is null ? WolverineContinue.NoProblems : Resolutions.TextRules.Refusal(problem);
    }

    /// <summary>
    /// The stream the new body starts, named by its code. It is loaded before Validate runs, so a missing code names a
    /// stream no valid code can name (the empty code) rather than the empty id, which the event store refuses to load.
    /// </summary>
    public static Guid BodyStream(CreateBody command) => Body.StreamIdFor(command.Code ?? "");

    /// <summary>Creates a body with its members, voting rules per matter type, chair schedule and written procedure (administrators).</summary>
    [WolverinePost("/api/bodies", OperationId = "createBody"), Tags("Bodies")]
    [ProducesResponseType<BodyRead>(201)]
    public static IResult Post(CreateBody command, [WriteAggregate(Required = false, FromMethod = nameof(BodyStream))] IEventStream<Body> stream,
        IDocumentSession session, ClaimsPrincipal user, TimeProvider clock)
    {
        var caller = Caller.From(user);
        if (!caller.Has(Roles.Admin)) return Problems.Forbid("Only an administrator creates or configures bodies.").ToResult();
        var (configuration, _) = new BodyInput(command.Name, command.Members, command.Rules, command.ChairSchedule, command.WrittenProcedure).Parse();
        // A concurrent creation of the same code loses at commit on the stream's key, answered 409 by the global handler.
        if (stream.CurrentVersion is > 0)
            return Problems.Make(Problems.ConcurrentChange, 409, "The body exists.", $"There is a body '{command.Code}' already; configure it instead.").ToResult();
        var now = clock.GetUtcNow();
        var created = new BodyCreated(stream.Id, command.Code!, configuration!, caller.ActingAs(Roles.Admin), now);
        session.LastModifiedBy = caller.PersonId;
        stream.AppendOne(created);
        return Results.Created($"/api/bodies/{command.Code}", BodyRead.Of(Body.Fold([created])!, now, []));
    }
}
