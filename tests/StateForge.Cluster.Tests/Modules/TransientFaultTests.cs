using System.Net;
using System.Net.Sockets;
using StateForge.Cluster.Tests.Support;
using StateForge.KubeApiServer.Faults;
using StateForge.Modules.Cluster;
using StateForge.Planning;
using StateForge.Transport.Kubernetes;

namespace StateForge.Cluster.Tests.Modules;

/// <summary>5xx, 429, timeouts and broken connections: retried with backoff, then a clear failure.</summary>
public sealed class TransientFaultTests
{
    private const string ClaimPath = "/api/v1/namespaces/default/persistentvolumeclaims/db";
    private const string ServicesPath = "/api/v1/namespaces/default/services";

    private static readonly PvcParams Claim = new() { Name = "db", Namespace = "default", Request = "1Gi", Wait = false };

    private const string Service = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          selector:
            app: web
          ports:
          - port: 80
        """;

    [Fact]
    public async Task Read_503Twice_IsRetried_AndTheTaskSucceeds()
    {
        await using var lab = await ClusterLab.StartAsync();
        lab.Server.Faults.Enqueue(new Fault("GET", ClaimPath, 503, Count: 2) { Message = "etcd is unavailable" });

        var plan = await lab.RunAsync(new PvcModule(), Claim);

        plan.Failed.Should().BeFalse(plan.Message);
        lab.Find("v1", "PersistentVolumeClaim", "default", "db").Should().NotBeNull();
        lab.Answers("GET", ClaimPath).Should().Equal("503", "503", "404");
    }

    [Fact]
    public async Task Read_AlwaysFailing_GivesUpAfterTheAttempts_NamingMethodObjectStatusAndAttempts()
    {
        await using var lab = await ClusterLab.StartAsync();
        lab.Server.Faults.Enqueue(new Fault("GET", ClaimPath, 503, Count: 100) { Message = "etcd is unavailable" });

        var plan = await lab.RunAsync(new PvcModule(), Claim);

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be("PersistentVolumeClaim \"default/db\": ServiceUnavailable: etcd is unavailable (GET: gave up after 4 attempts)");
        lab.Answers("GET", ClaimPath).Should().Equal("503", "503", "503", "503");
        lab.Find("v1", "PersistentVolumeClaim", "default", "db").Should().BeNull();
    }

    [Fact]
    public async Task RetriesVariable_SetsTheAttempts_ForThatConnection()
    {
        await using var lab = await ClusterLab.StartAsync();
        lab.Variables = new Dictionary<string, object?> { ["kubeconfig"] = lab.Kubeconfig, ["stateforge_k8s_retries"] = 0 };
        lab.Server.Faults.Enqueue(new Fault("GET", ClaimPath, 503, Count: 1) { Message = "etcd is unavailable" });

        var once = await lab.RunAsync(new PvcModule(), Claim);
        once.Failed.Should().BeTrue("no retry was allowed");
        once.Message.Should().Be("PersistentVolumeClaim \"default/db\": ServiceUnavailable: etcd is unavailable (GET: no retries allowed, stateforge_k8s_retries is 0)");

        await lab.NewRunAsync();
        lab.Variables = new Dictionary<string, object?> { ["kubeconfig"] = lab.Kubeconfig, ["stateforge_k8s_retries"] = "6" };
        lab.Server.Faults.Enqueue(new Fault("GET", ClaimPath, 503, Count: 6) { Message = "etcd is unavailable" });
        var patient = await lab.RunAsync(new PvcModule(), Claim);
        patient.Failed.Should().BeFalse(patient.Message);
        lab.Find("v1", "PersistentVolumeClaim", "default", "db").Should().NotBeNull();
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(429)]
    public async Task ServerSideApply_TransientStatus_IsRetried(int status)
    {
        await using var lab = await ClusterLab.StartAsync();
        lab.Server.Faults.Enqueue(new Fault("PATCH", ClaimPath, status) { DryRun = false });

        var plan = await lab.RunAsync(new PvcModule(), Claim);

        plan.Failed.Should().BeFalse(plan.Message);
        lab.Find("v1", "PersistentVolumeClaim", "default", "db").Should().NotBeNull();
        lab.Answers("PATCH", ClaimPath, dryRun: false).Should().Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), "201");
    }

    [Fact]
    public async Task ServerSideApply_AnswerLost_IsSentAgain_AndConverges()
    {
        await using var lab = await ClusterLab.StartAsync();
        lab.Server.Faults.Enqueue(new Fault("PATCH", ClaimPath, 0) { DryRun = false, AfterServing = true, Reset = true });

        var plan = await lab.RunAsync(new PvcModule(), Claim);

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Result["phase"].Should().Be("Pending");
        lab.Answers("PATCH", ClaimPath, dryRun: false).Should().Equal("201 (served, answer lost)", "reset", "200");
    }

    [Fact]
    public async Task ConnectionReset_IsRetried()
    {
        await using var lab = await ClusterLab.StartAsync();
        lab.Server.Faults.Enqueue(Fault.ConnectionReset("GET", ClaimPath, count: 2));

        var plan = await lab.RunAsync(new PvcModule(), Claim);

        plan.Failed.Should().BeFalse(plan.Message);
        lab.Answers("GET", ClaimPath).Should().Equal("reset", "reset", "404");
    }

    [Fact]
    public async Task Timeout_IsRetried()
    {
        await using var lab = await ClusterLab.StartAsync();
        await WarmUpAsync(lab);
        lab.RetryPolicy = ClusterLab.FastRetries with { RequestTimeout = TimeSpan.FromSeconds(1) };
        // The server would answer after a minute; the client gives up after a second and asks again.
        lab.Server.Faults.Enqueue(Fault.Slow("GET", ClaimPath, TimeSpan.FromMinutes(1)));

        var plan = await lab.RunAsync(new PvcModule(), Claim);

        plan.Failed.Should().BeFalse(plan.Message);
        lab.Server.Faults.Pending.Should().Be(0);
        lab.Find("v1", "PersistentVolumeClaim", "default", "db").Should().NotBeNull();
    }

    [Fact]
    public async Task Timeout_Always_FailsClearly()
    {
        await using var lab = await ClusterLab.StartAsync();
        await WarmUpAsync(lab);
        lab.RetryPolicy = ClusterLab.FastRetries with { RequestTimeout = TimeSpan.FromSeconds(0.5), Attempts = 2 };
        lab.Server.Faults.Enqueue(Fault.Slow("GET", ClaimPath, TimeSpan.FromMinutes(1), count: 100));

        var plan = await lab.RunAsync(new PvcModule(), Claim);

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be($"PersistentVolumeClaim \"default/db\": Timeout: the API server at {lab.Server.BaseUri.ToString().TrimEnd('/')} (context \"lab\") did not answer within 0.5s (GET: gave up after 2 attempts)");
    }

    [Fact]
    public async Task Create_AnswerLost_IsSentAgain_MeetsAlreadyExists_AndReadsTheObjectItMade()
    {
        await using var lab = await ClusterLab.StartAsync();
        lab.Server.Faults.Enqueue(new Fault("POST", ServicesPath, 500) { DryRun = false, AfterServing = true });

        var plan = await lab.RunAsync(new K8sModule(), new K8sParams { Definition = Service, Apply = false });

        plan.Failed.Should().BeFalse(plan.Message);
        plan.Changes.Single().Action.Should().Be(ChangeAction.Create);
        lab.Find("v1", "Service", "default", "web").Should().NotBeNull();
        lab.Answers("POST", ServicesPath, dryRun: false).Should().Equal("201 (served, answer lost)", "500", "409");
        lab.Answers("GET", ServicesPath + "/web").Should().EndWith("200", "the object the lost create made is read back");
    }

    [Fact]
    public async Task Create_TurnedAwayWith429_IsSentAgain()
    {
        await using var lab = await ClusterLab.StartAsync();
        lab.Server.Faults.Enqueue(new Fault("POST", ServicesPath, 429) { DryRun = false });

        var plan = await lab.RunAsync(new K8sModule(), new K8sParams { Definition = Service, Apply = false });

        plan.Failed.Should().BeFalse(plan.Message);
        lab.Answers("POST", ServicesPath, dryRun: false).Should().Equal("429", "201");
    }

    [Fact]
    public async Task Create_AlreadyTakenWithoutAnEarlierFailure_IsStillAnError()
    {
        await using var lab = await ClusterLab.StartAsync();
        var context = lab.Context();
        var parameters = new K8sParams { Definition = Service, Apply = false };
        var planned = await new K8sModule().PlanAsync(parameters, context, CancellationToken.None);
        await lab.Server.SeedAsync(Service);

        var plan = await new K8sModule().ApplyAsync(parameters, planned, context, CancellationToken.None);

        plan.Failed.Should().BeTrue();
        plan.Message.Should().Contain("AlreadyExists");
    }

    [Fact]
    public async Task Delete_AnswerLost_IsSentAgain_AndTheClaimIsGone()
    {
        await using var lab = await ClusterLab.StartAsync();
        (await lab.RunAsync(new PvcModule(), Claim)).Failed.Should().BeFalse();
        await lab.NewRunAsync();
        lab.Server.Faults.Enqueue(new Fault("DELETE", ClaimPath, 503) { DryRun = false, AfterServing = true });

        var plan = await lab.RunAsync(new PvcModule(), Claim with { State = ObjectState.Absent });

        plan.Failed.Should().BeFalse(plan.Message);
        lab.Find("v1", "PersistentVolumeClaim", "default", "db").Should().BeNull();
        lab.Answers("DELETE", ClaimPath, dryRun: false).Should().HaveCount(3).And.StartWith(["200 (served, answer lost)", "503"]);
    }

    [Fact]
    public async Task Backoff_DoublesFromTheBaseDelay_WithJitter_UpToTheCap()
    {
        await using var lab = await ClusterLab.StartAsync();
        var slept = new List<TimeSpan>();
        lab.RetryPolicy = KubeRetryPolicy.Default with { Attempts = 6, Sleep = (delay, _) => Record(slept, delay) };
        lab.Server.Faults.Enqueue(new Fault("GET", ClaimPath, 502, Count: 100));

        var plan = await lab.RunAsync(new PvcModule(), Claim);

        plan.Message.Should().EndWith("(GET: gave up after 6 attempts)");
        slept.Should().HaveCount(5);
        double[] ceilings = [200, 400, 800, 1600, 1600];
        for (var i = 0; i < ceilings.Length; i++)
        {
            slept[i].TotalMilliseconds.Should().BeInRange(ceilings[i] / 2, ceilings[i], $"wait {i + 1} is half fixed, half random, below {ceilings[i]} ms");
        }
    }

    [Fact]
    public async Task RetryAfter_IsHonoured()
    {
        await using var lab = await ClusterLab.StartAsync();
        var slept = new List<TimeSpan>();
        lab.RetryPolicy = KubeRetryPolicy.Default with { Sleep = (delay, _) => Record(slept, delay) };
        lab.Server.Faults.Enqueue(new Fault("GET", ClaimPath, 429) { RetryAfter = TimeSpan.FromSeconds(3) });
        lab.Server.Faults.Enqueue(new Fault("GET", ClaimPath, 503) { RetryAfter = TimeSpan.FromSeconds(90) });

        var plan = await lab.RunAsync(new PvcModule(), Claim);

        plan.Failed.Should().BeFalse(plan.Message);
        slept.Should().Equal(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task UnreachableServer_GivesUpAfterTheAttempts()
    {
        await using var lab = await ClusterLab.StartAsync();
        var port = ClosedPort();
        lab.Variables = new Dictionary<string, object?>();
        var ca = lab.WriteFile("ca.pem", lab.Server.CaCertificatePem);

        var plan = await lab.RunAsync(new PvcModule(), Claim with { Host = $"https://127.0.0.1:{port}", ApiKey = lab.Server.Token, CaCert = ca });

        plan.Failed.Should().BeTrue();
        plan.Message.Should().StartWith($"discovery of v1: cannot reach the API server at https://127.0.0.1:{port}")
            .And.EndWith("(GET: gave up after 4 attempts)");
    }

    [Fact]
    public async Task NotFound_IsNotRetried()
    {
        await using var lab = await ClusterLab.StartAsync();

        var plan = await lab.RunAsync(new PvcModule(), Claim with { Namespace = "nowhere" }, checkMode: true);

        plan.Message.Should().Be("PersistentVolumeClaim \"nowhere/db\": NotFound: namespaces \"nowhere\" not found");
        lab.Answers("PATCH", "/api/v1/namespaces/nowhere/persistentvolumeclaims/db").Should().Equal("404");
    }

    /// <summary>Connects and runs discovery under the lab's generous timeout, so that a tight one meets only the faulted request.</summary>
    private static async Task WarmUpAsync(ClusterLab lab) =>
        (await lab.RunAsync(new PvcModule(), Claim with { Name = "warm-up" }, checkMode: true)).Failed.Should().BeFalse();

    private static Task Record(List<TimeSpan> slept, TimeSpan delay)
    {
        lock (slept)
        {
            slept.Add(delay);
        }

        return Task.CompletedTask;
    }

    private static int ClosedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
