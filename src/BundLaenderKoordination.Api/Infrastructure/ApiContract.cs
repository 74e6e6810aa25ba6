using System.Text.Json.Nodes;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Resolutions;
using JasperFx;
using JasperFx.CodeGeneration;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Infrastructure;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>) as a contract client generators can trust (decision 48): each operation
/// has the one success it answers with and its real schema, every refusal status it can give with the problem schema and
/// the problem types of that status, the bearer scheme (anonymous operations say so), summaries and tag descriptions.
/// Success metadata is corrected on Wolverine's endpoints (<see cref="ApiContractPolicy"/>); the rest is added by the
/// document, operation and schema transformers of Microsoft.AspNetCore.OpenApi.
/// </summary>
public static class ApiContract
{
    public const string DocumentName = "v1";
    public const string BearerScheme = "bearer";
    public const string ProblemMediaType = "application/problem+json";

    /// <summary>Every problem type the API answers with, and its status.</summary>
    public static readonly IReadOnlyList<(string Type, int Status)> ProblemTypes =
    [
        (Problems.InvalidInput, 400), (Problems.MalformedRequest, 400), (Problems.LimitReached, 400), (Problems.UnsafeText, 400),
        (Problems.Unauthenticated, 401), (Problems.StepUpRequired, 401),
        (Problems.Forbidden, 403), (MandateDecisions.FourEyes, 403),
        (Problems.NotFound, 404),
        (Problems.StaleVersion, 409), (Problems.TextVersionSuperseded, 409), (Problems.ResolutionClosed, 409),
        (Problems.ConcurrentChange, 409), (Problems.NotSealedYet, 409), (Problems.ParagraphConflict, 409),
        (Problems.AmendmentConflict, 409), (Problems.AmendmentClosed, 409), (Problems.BracketedPassage, 409),
        (Problems.BallotOpen, 409), (Problems.NoOpenBallot, 409), (Problems.WrittenProcedureRunning, 409),
        (Problems.NoWrittenProcedure, 409), (Problems.SessionState, 409), (Problems.IdempotencyKeyInUse, 409),
        (MandateDecisions.MandateConflict, 409),
        (Problems.PayloadTooLarge, 413),
        (Problems.IdempotencyKeyReused, 422), (Problems.RestrictionRule, 422), (Problems.DeclarationRule, 422),
        (Problems.SessionRule, 422), (Problems.UnknownMatterType, 422), (Problems.AdoptionRuleNotMet, 422),
        (Problems.OpenBrackets, 422), (MandateDecisions.SeparationOfDuties, 422), (AmendmentDecisions.TooManyOpenAmendments, 422),
        (Problems.BallotDeadlineRule, 422),
        (Problems.TooManyRequests, 429), (Problems.TooManyStreams, 429),
        (Problems.DatabaseUnavailable, 503), (Problems.AuditLogHalted, 503),
    ];

    private static readonly Dictionary<string, string> TagDescriptions = new()
    {
        ["Resolutions"] = "Proposing, co-editing, voting on and adopting resolutions; positions, Protokollerklärungen, restriction and the audit trail.",
        ["Amendments"] = "Amendments to a resolution's text: proposal, support, revision and decision.",
        ["Brackets"] = "Passages in brackets, their alternatives and how a bracket is resolved.",
        ["Comments"] = "Comment threads on a resolution, a paragraph or a quoted passage.",
        ["Ballots"] = "Formal ballots under a body's voting rule: opening, closing, cancelling.",
        ["Written procedure"] = "Decisions outside a session: consent or objection of every voting member before a deadline.",
        ["Diffs"] = "Differences between text versions and what amendments would change (diff and Synopse).",
        ["History"] = "Timelines, changes between two moments, full-text search and live updates (Server-Sent Events).",
        ["Bodies"] = "Bodies (e.g. D16): members, voting rules per matter type, chair schedule, written procedure rules.",
        ["Sessions"] = "Sessions of a body, their agenda and attendance, and requests for special sessions.",
        ["Mandates"] = "Who acts for which Land in which body: mandates granted and ended under four eyes.",
        ["Identity"] = "Who the service takes the caller to be.",
        ["Audit"] = "The verifiable audit log: signed checkpoints, proofs, vote receipts, audit bundles and who agreed to what.",
        ["Operations"] = "State of this instance of the service.",
        ["Development"] = "Development identities; mapped in the Development environment only.",
    };

    /// <summary>The extra fields refusals carry, typed, so that generated clients read them without untyped data.</summary>
    private static readonly Dictionary<string, Func<OpenApiSchema>> ProblemFields = new()
    {
        ["traceId"] = () => Text(),
        ["currentVersion"] = () => Integer("int64"),
        ["currentTextVersion"] = () => Integer("int32"),
        ["currentTextHash"] = () => Text(),
        ["baseTextVersion"] = () => Integer("int32"),
        ["textVersion"] = () => Integer("int32"),
        ["retryAfterSeconds"] = () => Integer("int32"),
        ["maxBytes"] = () => Integer("int64"),
        ["maxStreams"] = () => Integer("int32"),
        ["maxAgeSeconds"] = () => Integer("int32"),
        ["reason"] = () => Text(),
        ["acrValues"] = () => new OpenApiSchema { Type = JsonSchemaType.Array, Items = Text() },
        ["what"] = () => Text(),
        ["limit"] = () => Integer("int32"),
        ["yes"] = () => Integer("int32"),
        ["no"] = () => Integer("int32"),
        ["abstain"] = () => Integer("int32"),
        ["required"] = () => Integer("int32"),
        ["rule"] = () => Text(),
        ["ballotId"] = () => new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
        ["procedureId"] = () => new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
        ["deadline"] = () => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
        ["matterTypes"] = () => new OpenApiSchema { Type = JsonSchemaType.Array, Items = Text() },
    };

    private static OpenApiSchema Text() => new() { Type = JsonSchemaType.String };
    private static OpenApiSchema Integer(string format) => new() { Type = JsonSchemaType.Integer, Format = format };

    public static IServiceCollection AddApiContract(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer(DescribeDocument);
            options.AddOperationTransformer(DescribeOperation);
            options.AddSchemaTransformer(DescribeProblem);
            options.AddSchemaTransformer(DescribeRecordedEvent);
            options.CreateSchemaReferenceId = type => type.Type == typeof(JsonObject)
                ? "RecordedEvent"
                : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
        });

    private static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Bund-Länder-Koordination",
            Version = DocumentName,
            Description = "Event-sourced coordination of resolutions between the Bund and the Länder. Every refusal is a " +
                          "problem (`application/problem+json`) with a stable `type`; the catalogue is in docs/api.md.",
        };
        // Relative to the address the document is served from: the same document for every installation.
        document.Servers = [new OpenApiServer { Url = "/", Description = "This service" }];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An access token of the identity provider (in Development from POST /api/dev/tokens).",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];
        var used = document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? [])
            .SelectMany(o => o.Tags ?? new HashSet<OpenApiTagReference>()).Select(t => t.Name).ToHashSet();
        document.Tags = new HashSet<OpenApiTag>(TagDescriptions.Where(t => used.Contains(t.Key))
            .Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
        return Task.CompletedTask;
    }

    private static Task DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var route = "/" + (description.RelativePath ?? "");
        var method = description.HttpMethod ?? "GET";
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var write = method is "POST" or "PUT" or "DELETE" or "PATCH";
        var api = route.StartsWith("/api/", StringComparison.Ordinal);
        var wolverine = description.ActionDescriptor is WolverineActionDescriptor;
        var streaming = operation.Responses?.Values.Any(r => r.Content?.ContainsKey("text/event-stream") == true) == true;

        // Anonymous operations need no token: an empty requirement overrides the document's bearer requirement.
        operation.Security = anonymous
            ? [new OpenApiSecurityRequirement()]
            : [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];

        // Wolverine's description gives a method without a resource (a live stream) a 204 beside the declared success.
        var successes = operation.Responses?.Where(r => r.Key.StartsWith('2')).ToList() ?? [];
        if (successes.Any(r => r.Value.Content is { Count: > 0 }))
            foreach (var (status, _) in successes.Where(r => r.Value.Content is null or { Count: 0 }))
                operation.Responses!.Remove(status);

        var statuses = new SortedSet<int>();
        foreach (var key in operation.Responses?.Keys.AsEnumerable() ?? [])
            if (int.TryParse(key, out var status) && status >= 400 && status < 500) statuses.Add(status);
        if (write || description.ParameterDescriptions.Count > 0) statuses.Add(400);
        if (!anonymous) { statuses.Add(401); statuses.Add(403); }
        if (route.Contains('{')) statuses.Add(404);
        if (write && wolverine) { statuses.Add(409); statuses.Add(422); }
        if (write) statuses.Add(413);
        if (api && (write || streaming)) statuses.Add(429);
        if (api) statuses.Add(503);

        operation.Responses ??= new OpenApiResponses();
        foreach (var status in statuses)
        {
            var types = ProblemTypes.Where(p => p.Status == status)
                .Where(p => streaming || p.Type != Problems.TooManyStreams)
                .Where(p => !streaming || status != 429 || p.Type == Problems.TooManyStreams)
                .Select(p => $"`{p.Type}`").ToList();
            operation.Responses[status.ToString()] = new OpenApiResponse
            {
                Description = $"{ReasonPhrase(status)}. Problem types: {string.Join(", ", types)}.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ProblemMediaType] = new() { Schema = new OpenApiSchemaReference(nameof(ProblemDetails), context.Document) },
                },
            };
        }
        return Task.CompletedTask;
    }

    private static string ReasonPhrase(int status) => status switch
    {
        400 => "The request is not valid",
        401 => "No valid sign-in, or a weighty act needs a recent one",
        403 => "The caller may not do this",
        404 => "Not found, or not readable for the caller",
        409 => "The state has changed or does not allow this now",
        413 => "The request body is too large",
        422 => "A procedural rule does not allow this",
        429 => "Too many requests; see Retry-After",
        503 => "The service cannot answer now; see Retry-After",
        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
    };

    private static Task DescribeProblem(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (context.JsonTypeInfo.Type != typeof(ProblemDetails)) return Task.CompletedTask;
        schema.Description = "A refusal (RFC 9457). `type` is stable and names the problem; the fields after `instance` are " +
                             "the facts some problem types add.";
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        foreach (var (name, make) in ProblemFields) schema.Properties[name] = make();
        return Task.CompletedTask;
    }

    /// <summary>
    /// An event as the audit log records it (the leaf document of audit bundles and vote receipts): its envelope is typed;
    /// <c>data</c> is the event's own payload, whose fields per event type are listed in docs/events.md.
    /// </summary>
    private static Task DescribeRecordedEvent(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (context.JsonTypeInfo.Type != typeof(JsonObject)) return Task.CompletedTask;
        schema.Description = "An event as recorded: the leaf document of the audit log. `data` holds the event's fields (docs/events.md).";
        schema.Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["seq"] = Integer("int64"),
            ["id"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
            ["stream"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
            ["version"] = Integer("int64"),
            ["type"] = Text(),
            ["timestamp"] = Text(),
            ["data"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "The event's fields as stored." },
            ["userName"] = Text(),
            ["correlationId"] = Text(),
            ["causationId"] = Text(),
            ["headers"] = new OpenApiSchema { Type = JsonSchemaType.Object | JsonSchemaType.Null, AdditionalProperties = Text() },
            ["tenant"] = Text(),
            ["gap"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "A sequence number no event holds (only `seq` is set)." },
        };
        schema.Required = new HashSet<string> { "seq" };
        return Task.CompletedTask;
    }
}

/// <summary>
/// Wolverine describes an endpoint returning <see cref="IResult"/> with a 200 response of type IResult. Endpoints state
/// their real success with <c>[ProducesResponseType]</c>: that one stays, the generic one goes.
/// </summary>
public sealed class ApiContractPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains)
            chain.Metadata.Finally(builder =>
            {
                var responses = builder.Metadata.OfType<IProducesResponseTypeMetadata>().ToList();
                var declared = responses.OfType<ProducesResponseTypeAttribute>().Any(r => r.StatusCode is >= 200 and < 300);
                foreach (var response in responses)
                {
                    var generic = response.Type is { } type && typeof(IResult).IsAssignableFrom(type);
                    var inferredSuccess = declared && response is not ProducesResponseTypeAttribute && response.StatusCode is >= 200 and < 300;
                    if (generic || inferredSuccess) builder.Metadata.Remove(response);
                }
            });
    }
}
