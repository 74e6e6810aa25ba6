using BundLaenderKoordination.Api.Auditing;
using Wolverine;
using Wolverine.Runtime;

namespace BundLaenderKoordination.Api.Infrastructure;

/// <summary>
/// How quickly the nodes of a cluster notice that one of them died (section <c>Cluster</c>). Wolverine's node coordination
/// decides where the projection daemon's shards and the durability agent (scheduled deadlines, envelopes of dead nodes)
/// run: every node writes a heartbeat every <see cref="HeartbeatSeconds"/>; a node whose heartbeat is older than
/// <see cref="StaleNodeSeconds"/> counts as dead, and the leader gives its work to the others.
/// </summary>
public sealed class ClusterOptions
{
    public const string Section = "Cluster";

    /// <summary>Seconds between a node's heartbeats (and the leader's checks of the others).</summary>
    public double HeartbeatSeconds { get; set; } = 0.5;

    /// <summary>Seconds without a heartbeat after which a node counts as dead and its work moves.</summary>
    public double StaleNodeSeconds { get; set; } = 3;
}

public static class Cluster
{
    public static void UseClusterTimings(this WolverineOptions options, IConfiguration configuration)
    {
        var cluster = configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new ClusterOptions();
        if (cluster.HeartbeatSeconds <= 0 || cluster.StaleNodeSeconds <= 2 * cluster.HeartbeatSeconds)
            throw new InvalidOperationException("Cluster: HeartbeatSeconds must be positive and StaleNodeSeconds more than twice as long.");
        var heartbeat = TimeSpan.FromSeconds(cluster.HeartbeatSeconds);
        options.Durability.HealthCheckPollingTime = heartbeat;
        options.Durability.FirstHealthCheckExecution = heartbeat;
        options.Durability.StaleNodeTimeout = TimeSpan.FromSeconds(cluster.StaleNodeSeconds);
        options.Durability.CheckAssignmentPeriod = heartbeat;
        // Envelopes (running deadlines among them) that a dead node owned go back to the pool this often.
        options.Durability.NodeReassignmentPollingTime = heartbeat;
        options.Durability.OrphanedMessageSweepPollingTime = heartbeat;
    }

    /// <summary>What this node is in the cluster: its Wolverine node id and number, and whether it seals the audit log.</summary>
    public sealed record NodeInfo(Guid NodeId, int NodeNumber, bool Sealing);

    /// <summary><c>GET /health/node</c>: for operators and the failover test, next to the other health endpoints.</summary>
    public static void MapNodeHealth(this WebApplication app) =>
        app.MapGet("/health/node", (IWolverineRuntime runtime, AuditLog log) =>
                Results.Ok(new NodeInfo(runtime.Options.UniqueNodeId, runtime.Options.Durability.AssignedNodeNumber, log.IsSealing)))
            .AllowAnonymous().WithName("getNodeHealth").WithTags("Operations").Produces<NodeInfo>()
            .WithSummary("This instance: its node id and number in the cluster and whether it seals the audit log.");
}
