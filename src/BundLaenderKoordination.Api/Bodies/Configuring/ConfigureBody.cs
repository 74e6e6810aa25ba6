using System.Security.Claims;
using BundLaenderKoordination.Api.Bodies.GettingBody;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace BundLaenderKoordination.Api.Bodies.Configuring;

public sealed record ConfigureBody(long? ExpectedVersion, string? Name, IReadOnlyList<MemberInput?>? Members,
    IReadOnlyDictionary<string, RuleInput?>? Rules, IReadOnlyList<ChairTermInput?>? ChairSchedule, WrittenProcedureInput? WrittenProcedure)
{
    public BodyInput Input => new(Name, Members, Rules, ChairSchedule, WrittenProcedure);
}

public static class ConfigureBodyEndpoint
{
    public static ProblemDetails Validate(ConfigureBody command)
    {
        if (command.ExpectedVersion is null or < 1) return Problems.Invalid("Send the body version you read as expectedVersion.");
        var (_, problem) = command.Input.Parse();
        return problem is null ? WolverineContinue.NoProblems : Resolutions.TextRules.Refusal(problem);
    }

    /// <summary>The body's stream, named by its code in the route.</summary>
    public static Guid BodyStream(string code) => Body.StreamIdFor(code);

    /// <summary>Replaces a body's configuration from now on (administrators). Ballots already opened keep the rule they recorded.</summary>
    [WolverinePut("/api/bodies/{code}", OperationId = "configureBody"), Tags("Bodies")]
    [ProducesResponseType<BodyRead>(200)]
    public static IResult Put(string code, ConfigureBody command,
        [WriteAggregate(Required = false, FromMethod = nameof(BodyStream))] IEventStream<Body> stream,
        IDocumentSession session, ClaimsPrincipal user, TimeProvider clock)
    {
        var caller = Caller.From(user);
        if (!caller.Has(Roles.Admin)) return Problems.Forbid("Only an administrator creates or configures bodies.").ToResult();
        if (stream.Aggregate is not { } body) return Problems.Missing($"There is no body '{code}'.").ToResult();
        if (stream.CurrentVersion != command.ExpectedVersion)
            return Problems.Make(Problems.StaleVersion, 409, "The body has changed since you read it.",
                $"You sent expectedVersion {command.ExpectedVersion}, but body {body.Id} is at version {stream.CurrentVersion}. Reload it and configure again.",
                ("currentVersion", stream.CurrentVersion)).ToResult();
        var now = clock.GetUtcNow();
        var configured = new BodyConfigured(body.StreamId, body.Id, command.Input.Parse().Configuration!, caller.ActingAs(Roles.Admin), now);
        session.LastModifiedBy = caller.PersonId;
        stream.AppendOne(configured);
        return Results.Ok(BodyRead.Of(Body.Next(body, configured)!, now, []));
    }
}
