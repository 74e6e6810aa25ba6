using System.Net.Sockets;
using JasperFx.CodeGeneration;
using JasperFx;
using MailKit;
using MailKit.Net.Smtp;
using Marten;
using Wolverine;
using Wolverine.Configuration;
using Wolverine.ErrorHandling;
using Wolverine.Marten;
using Wolverine.Runtime.Handlers;

namespace BundLaenderKoordination.Api.Notifications;

/// <summary>Notifications by mail and in the inbox (docs/notifications.md): one call in Program.cs.</summary>
public static class NotificationsSetup
{
    public static void AddNotifications(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Notifications").Get<NotificationOptions>() ?? new NotificationOptions();
        // Refused here with the setting's name, not later by Wolverine at start with its own words.
        if (options.RetryDelays.Length is 0 or > NotificationOptions.MaxRetries)
            throw new InvalidOperationException(
                $"Notifications:RetrySeconds names {options.RetryDelays.Length} waits; give between 1 and {NotificationOptions.MaxRetries} (Wolverine allows 25 attempts of one delivery).");
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton<UnsubscribeTokens>();
        services.AddSingleton<MailComposer>();
        services.AddSingleton<Mailer>();
        services.AddSingleton<NotificationMetrics>();
        services.ConfigureMarten(marten =>
        {
            marten.Schema.For<Notification>().Index(n => n.PersonId).Index(n => n.Status);
            marten.Schema.For<NotificationSettings>();
            marten.Schema.For<DigestSent>();
        });
        services.SubscribeToEvents(new NotificationSubscription());
        services.AddSingleton<IWolverineExtension>(new NotificationQueues(options));
        services.AddHostedService<DigestSchedule>();
    }
}

/// <summary>
/// Durable local queues (kept in PostgreSQL until handled, so a restart loses nothing) and the retry policy of
/// deliveries: a mail server that refuses or cannot be reached is tried again after each of
/// <see cref="NotificationOptions.RetrySeconds"/>, then the message goes to the dead letters.
/// </summary>
public sealed class NotificationQueues(NotificationOptions options) : IWolverineExtension, IHandlerPolicy
{
    public void Configure(WolverineOptions wolverine)
    {
        wolverine.LocalQueue("notifications").UseDurableInbox();
        wolverine.PublishMessage<DeliverNotification>().ToLocalQueue("notifications");
        wolverine.PublishMessage<WrittenProcedureReminderDue>().ToLocalQueue("notifications");
        wolverine.PublishMessage<SendDigests>().ToLocalQueue("notifications");
        wolverine.PublishMessage<SendPersonDigest>().ToLocalQueue("notifications");
        wolverine.PublishMessage<SendPersonDigestsNow>().ToLocalQueue("notifications");
        wolverine.Policies.Add(this);
    }

    public void Apply(IReadOnlyList<HandlerChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => c.MessageType == typeof(DeliverNotification) || c.MessageType == typeof(SendPersonDigest)))
            chain.OnException<SmtpCommandException>().Or<SmtpProtocolException>().Or<ServiceNotConnectedException>()
                .Or<SocketException>().Or<IOException>().Or<TimeoutException>().Or<MailKit.Security.AuthenticationException>()
                .ScheduleRetry(options.RetryDelays).Then.MoveToErrorQueue();
    }
}

/// <summary>Starts the chain of daily digests when none is scheduled (first start, or after an operator cleared the queue).</summary>
public sealed class DigestSchedule(IServiceProvider services, IHostApplicationLifetime lifetime, NotificationOptions options, TimeProvider clock,
    ILogger<DigestSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stoppingToken.Register(() => started.TrySetCanceled()))
        {
            try { await started.Task; } catch (TaskCanceledException) { return; }
        }
        try
        {
            await using var scope = services.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<IDocumentStore>();
            await using var session = store.QuerySession();
            var scheduled = await session.QueryAsync<int>(
                $"select count(*)::int from {store.Options.DatabaseSchemaName}.wolverine_incoming_envelopes where message_type like '%SendDigests'", stoppingToken);
            if (scheduled.FirstOrDefault() > 0) return;
            var next = DigestHandler.NextRun(clock.GetUtcNow(), options.DigestAt);
            await scope.ServiceProvider.GetRequiredService<IMessageBus>()
                .ScheduleAsync(new SendDigests(DateOnly.FromDateTime(Web.GermanTime.Local(next).Date)), next);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "The daily digest could not be scheduled; it is tried again at the next start");
        }
    }
}
