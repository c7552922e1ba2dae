using StateForge.Facts;
using StateForge.Transport;

namespace StateForge.Modules.Host;

/// <summary>What a host says about one SELinux boolean.</summary>
/// <param name="SelinuxEnabled">getsebool answered: SELinux is enabled (a kernel with a loaded policy).</param>
/// <param name="SelinuxProblem">Why SELinux is not usable at runtime: getsebool's "SELinux is disabled", or it is missing.</param>
/// <param name="Runtime">The active value; null when SELinux is disabled or the boolean is undefined.</param>
/// <param name="RuntimeError">getsebool's error with SELinux enabled (e.g. "Error getting active value for X": no such boolean).</param>
/// <param name="PersistedKnown">The policy store was asked (persistent tasks only).</param>
/// <param name="StoreProblem">Why the store could not be read: semanage missing or failing (no managed policy).</param>
/// <param name="Persisted">The value in the store (semanage boolean -l, "Default" column); null when the boolean is not defined there.</param>
public sealed record SeBooleanState(
    bool SelinuxEnabled,
    string? SelinuxProblem,
    bool? Runtime,
    string? RuntimeError,
    bool PersistedKnown,
    string? StoreProblem,
    bool? Persisted);

/// <summary>
/// One boolean: `getsebool NAME` (the runtime value; "SELinux is disabled" without an SELinux
/// kernel) and, for persistent tasks, its line of `semanage boolean -l -n`:
/// `virt_use_nfs (on , off)  Allow virt to use nfs` — (State, Default) = (runtime, persisted in
/// the policy store; the same value when SELinux is disabled). The key is the boolean's, so a
/// runtime-only task's value does not answer a persistent one (<see cref="IsSatisfiedBy"/>).
/// </summary>
public sealed record SeBooleanProbe(string Name, bool Persistent) : FactProbe("seboolean:" + Name)
{
    public override string Script
    {
        get
        {
            var name = Shell.Quote(Name);
            var script = "LC_ALL=C; export LC_ALL\n" +
                         "if command -v getsebool >/dev/null 2>&1; then\n" +
                         $"  sf_o=$(getsebool {name} 2>&1); sf_rc=$?\n" +
                         "  echo \"@getsebool $sf_rc\"; printf '%s\\n' \"$sf_o\"\n" +
                         "else echo '@getsebool missing'; fi\n";
            if (Persistent)
            {
                script += "if command -v semanage >/dev/null 2>&1; then\n" +
                          "  sf_o=$(semanage boolean -l -n 2>&1); sf_rc=$?\n" +
                          "  echo \"@semanage $sf_rc\"\n" +
                          $"  if [ $sf_rc -eq 0 ]; then printf '%s\\n' \"$sf_o\" | awk -v n={name} '$1 == n'; else printf '%s\\n' \"$sf_o\" | tail -n 3; fi\n" +
                          "else echo '@semanage missing'; fi\n";
            }

            return script + "exit 0";
        }
    }

    public override bool IsSatisfiedBy(object? known) => !Persistent || known is SeBooleanState { PersistedKnown: true };

    public override object? Parse(StepResult result) => ParseOutput(Name, result.Stdout);

    public static SeBooleanState ParseOutput(string name, string stdout)
    {
        var sections = Sections(stdout);
        var (getRc, getText) = sections.GetValueOrDefault("@getsebool", ("missing", ""));
        bool enabled = false;
        string? problem = null;
        bool? runtime = null;
        string? runtimeError = null;
        if (getRc == "missing")
        {
            problem = "getsebool is not installed (no SELinux userland)";
        }
        else if (getText.Contains("SELinux is disabled", StringComparison.Ordinal))
        {
            problem = "SELinux is disabled";
        }
        else
        {
            enabled = true;
            runtime = ParseGetsebool(name, getText);
            if (runtime is null)
            {
                runtimeError = getText.Trim().Length > 0 ? getText.Trim() : $"getsebool exited {getRc}";
            }
        }

        var persistedKnown = sections.ContainsKey("@semanage");
        string? storeProblem = null;
        bool? persisted = null;
        if (persistedKnown)
        {
            var (rc, text) = sections["@semanage"];
            if (rc == "missing")
            {
                storeProblem = "semanage is not installed (Debian: policycoreutils-python-utils; RHEL 7: policycoreutils-python; RHEL 8+: policycoreutils-python-utils)";
            }
            else if (rc != "0")
            {
                storeProblem = $"semanage boolean -l failed (rc {rc}): {text.Trim()}";
            }
            else
            {
                persisted = ParseSemanage(name, text);
            }
        }

        return new SeBooleanState(enabled, problem, runtime, runtimeError, persistedKnown, storeProblem, persisted);
    }

    /// <summary>`NAME --> on` or `NAME --> off pending: on`: the active value.</summary>
    public static bool? ParseGetsebool(string name, string text)
    {
        foreach (var line in text.Split('\n'))
        {
            var f = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length >= 3 && f[0] == name && f[1] == "-->")
            {
                return f[2] switch { "on" => true, "off" => false, _ => null };
            }
        }

        return null;
    }

    /// <summary>`NAME (on , off)  Description`: the second value, the one in the policy store.</summary>
    public static bool? ParseSemanage(string name, string text)
    {
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (!trimmed.StartsWith(name + " ", StringComparison.Ordinal))
            {
                continue;
            }

            var open = trimmed.IndexOf('(', StringComparison.Ordinal);
            var close = trimmed.IndexOf(')', StringComparison.Ordinal);
            if (open < 0 || close < open)
            {
                continue;
            }

            var values = trimmed[(open + 1)..close].Split(',', StringSplitOptions.TrimEntries);
            if (values.Length == 2 && values[1] is "on" or "off")
            {
                return values[1] == "on";
            }
        }

        return null;
    }

    private static Dictionary<string, (string Rc, string Text)> Sections(string stdout)
    {
        var result = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        string? current = null;
        string rc = "";
        var text = new System.Text.StringBuilder();
        void Flush()
        {
            if (current is not null)
            {
                result[current] = (rc, text.ToString());
            }
        }

        foreach (var raw in stdout.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("@getsebool ", StringComparison.Ordinal) || line.StartsWith("@semanage ", StringComparison.Ordinal))
            {
                Flush();
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                current = line[..space];
                rc = line[(space + 1)..].Trim();
                text.Clear();
                continue;
            }

            text.Append(line).Append('\n');
        }

        Flush();
        return result;
    }
}
