using System.Text.Json.Nodes;
using BundLaenderKoordination.Api.Auditing;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Operations;

/// <summary>
/// The Kubernetes manifests in ops/kubernetes, read with YamlDotNet the way Kustomize assembles them (the resources its
/// kustomization.yaml lists) and checked for what they promise: a highly available, probed, non-root service behind
/// an Ingress fit for live streams, its secrets, a disruption budget and network policies that fit its pods, and
/// PostgreSQL as a CloudNativePG cluster of three with synchronous replication and continuous backup.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string Folder = Path.Combine(OpsScripts.RepositoryRoot, "ops", "kubernetes");

    private static readonly Lazy<IReadOnlyList<JsonObject>> All = new(() =>
        Yaml.Documents(Path.Combine(Folder, "kustomization.yaml")).Single()
            .Items("resources").SelectMany(r => Yaml.Documents(Path.Combine(Folder, r.ToString()))).ToList());

    private static IReadOnlyList<JsonObject> Manifests => All.Value;

    private static JsonObject Kustomization => Yaml.Documents(Path.Combine(Folder, "kustomization.yaml")).Single();

    /// <summary>The keys of a Secret Kustomize generates, with the file each comes from.</summary>
    private static Dictionary<string, string> Generated(string name) =>
        Kustomization.Items("secretGenerator").Single(g => g.Text("name") == name).Items("files")
            .Select(f => f.ToString().Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    private static JsonObject One(string kind, string? name = null) =>
        Manifests.Where(m => m.Text("kind") == kind && (name is null || m.Text("metadata.name") == name)).ShouldHaveSingleItem($"one {kind} {name}");

    private static JsonObject Deployment => One("Deployment");
    private static JsonNode Container => Deployment.Items("spec.template.spec.containers").ShouldHaveSingleItem();

    private static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value);

    private static IReadOnlyDictionary<string, string> PodLabels => Deployment.Map("spec.template.metadata.labels");

    [Fact]
    public void Every_listed_resource_is_a_kubernetes_object_with_a_known_api_and_a_unique_name()
    {
        var kustomization = Yaml.Documents(Path.Combine(Folder, "kustomization.yaml")).Single();
        kustomization.Text("kind").ShouldBe("Kustomization");
        kustomization.Text("namespace").ShouldBe("bund-laender-koordination");
        // Every YAML file in the folder is listed: nothing is left out of what is applied.
        Directory.GetFiles(Folder, "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml").Order()
            .ShouldBe(kustomization.Items("resources").Select(r => r.ToString()).Order());

        var known = new Dictionary<string, string>
        {
            ["Namespace"] = "v1", ["ConfigMap"] = "v1", ["Secret"] = "v1", ["Service"] = "v1",
            ["Deployment"] = "apps/v1", ["Ingress"] = "networking.k8s.io/v1", ["NetworkPolicy"] = "networking.k8s.io/v1",
            ["PodDisruptionBudget"] = "policy/v1", ["Cluster"] = "postgresql.cnpg.io/v1", ["ScheduledBackup"] = "postgresql.cnpg.io/v1",
            ["ObjectStore"] = "barmancloud.cnpg.io/v1",
        };
        foreach (var manifest in Manifests)
        {
            var kind = manifest.Text("kind").ShouldNotBeNull();
            known.ShouldContainKey(kind);
            manifest.Text("apiVersion").ShouldBe(known[kind], kind);
            manifest.Text("metadata.name").ShouldNotBeNullOrWhiteSpace();
            manifest.Text("metadata.name")!.ShouldMatch("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
        }
        Manifests.GroupBy(m => (m.Text("kind"), m.Text("metadata.name"))).ShouldAllBe(g => g.Count() == 1);
    }

    [Fact]
    public void The_deployment_runs_at_least_two_non_root_replicas_with_startup_readiness_and_liveness_probes_on_the_health_endpoints()
    {
        Deployment.Number("spec.replicas")!.Value.ShouldBeGreaterThanOrEqualTo(2);
        Deployment.Text("spec.strategy.rollingUpdate.maxUnavailable").ShouldBe("0");
        Selects(Deployment.Map("spec.selector.matchLabels"), PodLabels).ShouldBeTrue();

        var ports = Container.Items("ports").ToDictionary(p => p.Text("name")!, p => p.Number("containerPort"));
        ports["http"].ShouldBe(8080);
        Container.Items("env").ShouldContain(e => e.Text("name") == "ASPNETCORE_HTTP_PORTS" && e.Text("value") == "8080");
        Container.Text("startupProbe.httpGet.path").ShouldBe("/health/live");
        Container.Text("livenessProbe.httpGet.path").ShouldBe("/health/live");
        Container.Text("readinessProbe.httpGet.path").ShouldBe("/health/ready");
        foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
            ports.ShouldContainKey(Container.Text($"{probe}.httpGet.port")!);
        // The start-up probe allows for applying the schema before liveness counts.
        (Container.Number("startupProbe.periodSeconds")!.Value * Container.Number("startupProbe.failureThreshold")!.Value).ShouldBeGreaterThanOrEqualTo(120);

        // The image's user (ops/image.sh) and no way to become root.
        var pod = Deployment.At("spec.template.spec");
        pod.Text("securityContext.runAsNonRoot").ShouldBe("true");
        pod.Number("securityContext.runAsUser").ShouldBe(10001);
        Container.Text("securityContext.allowPrivilegeEscalation").ShouldBe("false");
        Container.Text("securityContext.readOnlyRootFilesystem").ShouldBe("true");
        Container.Items("securityContext.capabilities.drop").Select(c => c.ToString()).ShouldContain("ALL");
        File.ReadAllText(OpsScripts.Script("image.sh")).ShouldContain("uid=10001");
    }

    [Fact]
    public void The_secrets_hold_the_token_and_checkpoint_signing_keys_as_settings_the_service_reads()
    {
        // Made by Kustomize from files that are never committed (secrets/.gitignore), one key per setting.
        var secrets = Generated("blk-secrets");
        secrets.Keys.ShouldContain("Identity__SigningKey");
        secrets.Keys.ShouldContain("Audit__SigningKey");
        secrets.Values.ShouldAllBe(file => file.StartsWith("secrets/"));
        File.ReadAllText(Path.Combine(Folder, "secrets", ".gitignore")).Split('\n').ShouldContain("*");
        typeof(AuditOptions).GetProperty(nameof(AuditOptions.SigningKey)).ShouldNotBeNull();
        // The README that says how to make them names every file the generators read.
        var readme = File.ReadAllText(Path.Combine(Folder, "secrets", "README.md"));
        foreach (var file in Kustomization.Items("secretGenerator").SelectMany(g => g.Items("files")).Select(f => f.ToString().Split('=')[1]))
            readme.ShouldContain(Path.GetFileName(file));

        // Mounted where the service reads settings from files (Secrets:Directory), read-only.
        var pod = Deployment.At("spec.template.spec");
        var mounts = Container.Items("volumeMounts").ToDictionary(m => m.Text("name")!);
        var volumes = pod.Items("volumes").ToDictionary(v => v.Text("name")!);
        var directory = Container.Items("env").Single(e => e.Text("name") == "Secrets__Directory").Text("value");
        var settings = mounts.Values.Single(m => m.Text("mountPath") == directory);
        settings.Text("readOnly").ShouldBe("true");
        volumes[settings.Text("name")!].Text("secret.secretName").ShouldBe("blk-secrets");

        // Every secret the pod names exists here or is the application secret CloudNativePG makes for its cluster.
        var cluster = One("Cluster").Text("metadata.name");
        var defined = Manifests.Where(m => m.Text("kind") == "Secret").Select(m => m.Text("metadata.name"))
            .Concat(Kustomization.Items("secretGenerator").Select(g => g.Text("name"))).ToHashSet();
        var named = volumes.Values.Select(v => v.Text("secret.secretName")).OfType<string>()
            .Concat(Container.Items("env").Select(e => e.Text("valueFrom.secretKeyRef.name")).OfType<string>());
        named.ShouldAllBe(n => defined.Contains(n) || n == $"{cluster}-app" || n == $"{cluster}-ca");
        Container.Items("volumeMounts").ShouldAllBe(m => volumes.ContainsKey(m.Text("name")!));

        // The state file (the kept copy of the last checkpoint) lies on a writable volume, not in the image.
        var stateFile = Container.Items("env").Single(e => e.Text("name") == "Audit__StateFile").Text("value")!;
        mounts.Values.ShouldContain(m => stateFile.StartsWith(m.Text("mountPath") + "/") && m.Text("readOnly") != "true");
    }

    [Fact]
    public void The_service_ingress_and_disruption_budget_reach_the_pods_and_the_ingress_keeps_live_streams_open()
    {
        var service = One("Service");
        Selects(service.Map("spec.selector"), PodLabels).ShouldBeTrue();
        var servicePort = service.Items("spec.ports").ShouldHaveSingleItem();
        Container.Items("ports").ShouldContain(p => p.Text("name") == servicePort.Text("targetPort"));

        var ingress = One("Ingress");
        var backend = ingress.Items("spec.rules").Single().Items("http.paths").Single().At("backend.service");
        backend.Text("name").ShouldBe(service.Text("metadata.name"));
        backend.Text("port.name").ShouldBe(servicePort.Text("name"));
        var annotations = ingress.Map("metadata.annotations");
        annotations["nginx.ingress.kubernetes.io/proxy-buffering"].ShouldBe("off");
        int.Parse(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]).ShouldBeGreaterThanOrEqualTo(3600);
        int.Parse(annotations["nginx.ingress.kubernetes.io/proxy-send-timeout"]).ShouldBeGreaterThanOrEqualTo(3600);
        ingress.Items("spec.tls").ShouldNotBeEmpty();

        var budget = One("PodDisruptionBudget");
        Selects(budget.Map("spec.selector.matchLabels"), PodLabels).ShouldBeTrue();
        budget.Number("spec.maxUnavailable")!.Value.ShouldBeLessThan(Deployment.Number("spec.replicas")!.Value);
    }

    [Fact]
    public void The_network_policies_deny_by_default_and_open_only_the_service_port_and_the_database_to_the_service()
    {
        var policies = Manifests.Where(m => m.Text("kind") == "NetworkPolicy").ToList();
        policies.Where(p => (p.At("spec.podSelector") as JsonObject)?.Count == 0
                            && p.Items("spec.policyTypes").Select(t => t.ToString()).Order().SequenceEqual(new[] { "Egress", "Ingress" }))
            .ShouldNotBeEmpty("a policy that denies everything to every pod unless another allows it");
        var service = policies.Single(p => Selects(p.Map("spec.podSelector.matchLabels"), PodLabels));
        service.Items("spec.ingress").SelectMany(r => r.Items("ports")).Select(p => p.Number("port")).ShouldBe([8080]);

        var databaseLabels = new Dictionary<string, string> { ["cnpg.io/cluster"] = One("Cluster").Text("metadata.name")! };
        service.Items("spec.egress").ShouldContain(r => r.Items("to").Any(t => Selects(t.Map("podSelector.matchLabels"), databaseLabels))
                                                       && r.Items("ports").Any(p => p.Number("port") == 5432));
        var database = policies.Single(p => Selects(p.Map("spec.podSelector.matchLabels"), databaseLabels));
        database.Items("spec.ingress").ShouldContain(r => r.Items("from").Any(f => Selects(f.Map("podSelector.matchLabels"), PodLabels))
                                                         && r.Items("ports").Any(p => p.Number("port") == 5432));
    }

    [Fact]
    public void PostgreSQL_is_a_cloudnativepg_cluster_of_three_with_synchronous_replication_and_continuous_backup()
    {
        var cluster = One("Cluster");
        cluster.Number("spec.instances").ShouldBe(3);
        cluster.Number("spec.postgresql.synchronous.number")!.Value.ShouldBeGreaterThanOrEqualTo(1);
        cluster.Text("spec.postgresql.synchronous.dataDurability").ShouldBe("required");
        cluster.Text("spec.affinity.podAntiAffinityType").ShouldBe("required");
        cluster.Text("spec.bootstrap.initdb.database").ShouldBe("blk");

        // WAL archived continuously to the object store, and base backups on a schedule, of this cluster.
        var archiver = cluster.Items("spec.plugins").Single(p => p.Text("isWALArchiver") == "true");
        var store = One("ObjectStore", archiver.Text("parameters.barmanObjectName"));
        store.Text("spec.configuration.destinationPath").ShouldStartWith("s3://");
        store.Text("spec.retentionPolicy").ShouldNotBeNullOrWhiteSpace();
        var credentials = store.Text("spec.configuration.s3Credentials.accessKeyId.name")!;
        Generated(credentials).Keys.ShouldBe([store.Text("spec.configuration.s3Credentials.accessKeyId.key")!, store.Text("spec.configuration.s3Credentials.secretAccessKey.key")!], ignoreOrder: true);
        Kustomization.Items("secretGenerator").Single(g => g.Text("name") == credentials).Text("options.disableNameSuffixHash").ShouldBe("true",
            "the ObjectStore names the Secret itself; Kustomize would not rewrite a hashed name there");
        var scheduled = One("ScheduledBackup");
        scheduled.Text("spec.cluster.name").ShouldBe(cluster.Text("metadata.name"));
        scheduled.Text("spec.pluginConfiguration.name").ShouldBe(archiver.Text("name"));
        scheduled.Text("spec.schedule")!.Split(' ').Length.ShouldBe(6, "CloudNativePG's schedule has a seconds field");

        // The service connects to this cluster's read-write service, database and owner, over verified TLS.
        var connection = Container.Items("env").Single(e => e.Text("name") == "ConnectionStrings__Marten").Text("value")!;
        connection.ShouldContain($"Host={cluster.Text("metadata.name")}-rw;");
        connection.ShouldContain($"Database={cluster.Text("spec.bootstrap.initdb.database")};");
        connection.ShouldContain($"Username={cluster.Text("spec.bootstrap.initdb.owner")};");
        connection.ShouldContain("SSL Mode=VerifyFull");
        new Npgsql.NpgsqlConnectionStringBuilder(connection.Replace("$(DB_PASSWORD)", "x")).SslMode.ShouldBe(Npgsql.SslMode.VerifyFull);
    }
}
