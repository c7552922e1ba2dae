using System.Diagnostics;

namespace StateForge.Lab.Faults;

/// <summary>A scratch directory for a test's playbooks and files, removed at the end.</summary>
public sealed class FaultWorkspace : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("sf-faults-").FullName;

    /// <summary>Writes a playbook (or any file) and returns its full path.</summary>
    public string Write(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <summary>A two-host lab shared by the tests of one class (each class that uses it gets its own).</summary>
public sealed class TwoHostLab : LabFixture
{
    public TwoHostLab()
        : base(2, new LabOptions(Prefix: "f"))
    {
    }
}

/// <summary>Ways to hurt a lab host, and to look at it from the machine without SSH.</summary>
public static class FaultKit
{
    /// <summary>
    /// The host dies as far as SSH goes: every sshd on it — the listener and each one serving a
    /// session — is SIGKILLed by pid, inside the host's own PID namespace, so new connections are
    /// refused and open ones are cut. The commands those sessions ran are not touched.
    /// (`lab stop-sshd` alone leaves open sessions alive, and fails while any is open.)
    /// </summary>
    public static async Task KillSshAsync(this LabHosts lab, LabHost host)
    {
        // One exec (the lab's exec costs a process or two on the machine): list the pids, kill those.
        var killed = await lab.ExecAsync(host, "sh", "-c", "pids=$(pgrep -x sshd) && kill -KILL $pids && echo $pids");
        killed.EnsureSuccess($"kill sshd on {host.Name}").StdOut.Should().NotBeNullOrWhiteSpace($"{host.Name} ran an sshd");
    }

    /// <summary>Where the host's /srv (a plain bind-mounted directory) is on the machine.</summary>
    public static string SrvPath(this LabHosts lab, LabHost host, string relative = "") =>
        Path.Combine(lab.Directory, "hosts", host.Name, "srv", relative);

    /// <summary>Runs a shell command on the host without SSH and returns its stdout; fails on a non-zero exit.</summary>
    public static async Task<string> ShAsync(this LabHosts lab, LabHost host, string script) =>
        (await lab.ExecAsync(host, "sh", "-c", script)).EnsureSuccess($"{host.Name}: {script}").StdOut;

    /// <summary>Polls until <paramref name="condition"/> holds; throws after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds:0} s for {what}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Fails the test instead of hanging it when a run outlives a generous bound.</summary>
    public static async Task<T> Within<T>(this Task<T> task, TimeSpan bound, string what)
    {
        try
        {
            return await task.WaitAsync(bound);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{what} did not finish within {bound.TotalSeconds:0} s: a stuck run");
        }
    }
}
