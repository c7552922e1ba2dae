using System.Globalization;
using StateForge.Facts;
using StateForge.Transport;

namespace StateForge.Modules.Host.Iptables;

/// <summary>The SSH connection StateForge is using, as the host sees it; Known is false for a local run.</summary>
internal sealed record IptablesSshSession(bool Known, uint ClientIp = 0, int ClientPort = 0, uint ServerIp = 0, int ServerPort = 0, string? Interface = null)
{
    public override string ToString() =>
        Known
            ? $"{IptablesRule.FormatIPv4(ClientIp)}:{ClientPort} -> {IptablesRule.FormatIPv4(ServerIp)}:{ServerPort}{(Interface is null ? "" : " on " + Interface)}"
            : "no SSH connection";
}

/// <summary>
/// Reads $SSH_CONNECTION ("client port server port"), from the nearest ancestor process that has
/// it when sudo cleared it, and the interface the client is reached through.
/// </summary>
internal sealed record IptablesSshProbe() : FactProbe("iptables:ssh-connection")
{
    public override string Script =>
        "c=${SSH_CONNECTION:-}; p=$$\n" +
        "while [ -z \"$c\" ] && [ \"${p:-1}\" -gt 1 ]; do\n" +
        "  c=$(tr '\\000' '\\n' <\"/proc/$p/environ\" 2>/dev/null | sed -n 's/^SSH_CONNECTION=//p' | head -n 1)\n" +
        "  p=$(sed -n 's/^PPid:[[:space:]]*//p' \"/proc/$p/status\" 2>/dev/null)\n" +
        "done\n" +
        "printf '%s\\n' \"$c\"\n" +
        "set -f; set -- $c\n" +
        "if [ -n \"${1:-}\" ]; then ip -o route get \"$1\" 2>/dev/null | head -n 1; fi; true";

    public override object? Parse(StepResult result)
    {
        var lines = result.Stdout.Split('\n');
        var words = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 4 ||
            !IptablesRule.TryParseIPv4(words[0], out var client) || !IptablesRule.TryParseIPv4(words[2], out var server) ||
            !int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var clientPort) ||
            !int.TryParse(words[3], NumberStyles.None, CultureInfo.InvariantCulture, out var serverPort))
        {
            return new IptablesSshSession(false);
        }

        // `ip -o route get A` prints "A dev eth0 src B …", or "local A dev lo …" for the host itself.
        string? device = null;
        if (lines.Length > 1)
        {
            var route = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var dev = Array.IndexOf(route, "dev");
            device = dev >= 0 && dev + 1 < route.Length ? route[dev + 1] : null;
        }

        return new IptablesSshSession(true, client, clientPort, server, serverPort, device);
    }
}
