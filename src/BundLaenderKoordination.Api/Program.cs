using System.Text.Json;
using System.Text.Json.Serialization;
using BundLaenderKoordination.Api.Auditing;
using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Identity.Mandates;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Notifications;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.History;
using BundLaenderKoordination.Api.Exports;
using BundLaenderKoordination.Api.Sessions;
using BundLaenderKoordination.Api.Web;
using JasperFx;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Scalar.AspNetCore;
using Weasel.Core;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

var builder = WebApplication.CreateBuilder(args);
builder.AddSecretFiles();
builder.AddTelemetry();
builder.AddIdentity();
builder.AddWebUi();
var connectionString = await Database.ConnectionStringAsync(builder);
builder.AddKeyStorage();
builder.Services.AddWebSessions();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemCustomization.Apply);
builder.Services.AddExceptionHandler<ExceptionProblems>();
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
    // A number is a JSON number: "expectedVersion": "1" is refused as unreadable, not taken for 1.
    o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
});
builder.AddHardening();
builder.AddProxies();
builder.Services.AddApiContract();
builder.Services.AddLiveUpdates();
builder.Services.AddSingleton<BundLaenderKoordination.Api.Resolutions.GettingDiffs.DiffCache>();
builder.Services.AddSingleton<Marten.IConfigureMarten, MartenLogging>();
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
builder.Services.AddHostedService<OperationsMetrics>();
builder.AddNotifications();
builder.AddCalendarSubscriptions();
BundLaenderKoordination.Api.Identity.Passkeys.PasskeysSetup.AddPasskeys(builder);

var schema = builder.Configuration["Marten:Schema"] ?? "blk";
builder.AddAuditing(connectionString, schema);
builder.AddWitnessing();
builder.Services.AddMarten(options =>
    {
        options.Connection(connectionString);
        options.DatabaseSchemaName = schema;
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
        options.Events.StreamIdentity = StreamIdentity.AsGuid;
        options.Events.MetadataConfig.UserNameEnabled = true;
        options.Events.MetadataConfig.CorrelationIdEnabled = true;
        options.OpenTelemetry.TrackConnections = JasperFx.OpenTelemetry.TrackLevel.Normal;
        options.OpenTelemetry.TrackEventCounters();
        options.AddBodies();
        options.AddSessions();
        options.AddResolutions();
        options.AddMandates();
        BundLaenderKoordination.Api.Identity.Passkeys.PasskeysConfiguration.AddPasskeys(options);
    })
    .UseIdentitySessions()
    .ApplyAllDatabaseChangesOnStartup()
    .InitializeWith<BodySeed>()
    // The projection daemon's shards run on the nodes Wolverine assigns them to (decision 30). `Projections:Run=false`
    // makes a node that only serves requests: it runs no shard (as the daemon is off when not distributed).
    .IntegrateWithWolverine(wolverine => wolverine.UseWolverineManagedEventSubscriptionDistribution =
        builder.Configuration.GetValue("Projections:Run", true));
builder.Services.AddHostedService<BundLaenderKoordination.Api.Identity.Mandates.PersonMandatesBackfill>();

builder.Host.UseWolverine(options =>
{
    options.ApplicationAssembly = typeof(Program).Assembly;
    options.ServiceName = Telemetry.ServiceName;
    // An endpoint or handler that writes through the IDocumentSession Wolverine hands it is committed by Wolverine, with
    // its outgoing messages in the same transaction (the Marten outbox); none commits by hand.
    options.Policies.AutoApplyTransactions();
    // Deadlines of written procedures wait in PostgreSQL (Wolverine's inbox in the Marten schema) and survive restarts.
    options.LocalQueueFor<BundLaenderKoordination.Api.Resolutions.WrittenProcedures.WrittenProcedureDeadline>().UseDurableInbox();
    options.LocalQueueFor<BundLaenderKoordination.Api.Resolutions.BallotDeadline>().UseDurableInbox();
    options.Durability.ScheduledJobFirstExecution = TimeSpan.FromSeconds(1);
    options.Durability.ScheduledJobPollingTime = TimeSpan.FromSeconds(1);
    // Several nodes on one database: how fast a dead node's shards and deadlines move to the others (docs/operations.md).
    options.UseClusterTimings(builder.Configuration);
    // Idempotency-Key on POST commands: keys and their answers, kept for a day.
    options.Durability.EnableDeduplicatedResponses = true;
    options.Durability.DeduplicationWindow = IdempotentCommands.Window;
});
builder.Services.AddWolverineHttp();

var app = builder.Build();

app.UseProxies();
app.UseSecurityHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseStaticFiles();
app.UseNotFoundForUnknownRoutes();
app.UseRefusalLog();
app.UseRequestLimits();
app.UseAuthentication();
app.UseAuthorization();
app.UseAccessRules();
app.UseCommandLimits();

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
app.MapNodeHealth();
app.MapOpenApi().AllowAnonymous();
app.MapScalarApiReference("/docs/api", options => options.DisableDefaultFonts()).AllowAnonymous();
app.MapDevelopmentTokens();
app.MapWebUi();
app.MapWolverineEndpoints(options =>
{
    options.RejectUnparseableQueryValues = true;
    options.AddPolicy<NullBodyPolicy>();
    options.AcceptIdempotencyKeys();
    options.AddPolicy<ApiContractPolicy>();
});

app.Lifetime.ApplicationStarted.Register(() =>
    app.Logger.LogInformation("Bund-Länder-Koordination is serving on {Urls}; API reference at /docs/api", string.Join(", ", app.Urls)));

// Operator commands such as "db-apply", "projections --rebuild" or "describe" (dotnet run -- help lists them).
if (args.FirstOrDefault() is { } verb && !verb.StartsWith('-'))
    return await app.RunJasperFxCommands(args);

try
{
    await app.RunAsync();
    return 0;
}
catch (Exception ex)
{
    app.Logger.LogCritical("The service stopped because it could not start: {Reason}", ex.Message);
    return 1;
}

public partial class Program;
