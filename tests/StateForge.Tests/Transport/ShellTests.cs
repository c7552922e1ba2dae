using StateForge.Transport;

namespace StateForge.Tests.Transport;

public sealed class ShellTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("/etc/exports", "/etc/exports")]
    [InlineData("a b", "'a b'")]
    [InlineData("it's", "'it'\"'\"'s'")]
    [InlineData("", "''")]
    [InlineData("$(touch x)", "'$(touch x)'")]
    public void Quote_QuotesForPosixSh(string input, string expected) => Shell.Quote(input).Should().Be(expected);

    [Theory]
    [InlineData("$(touch {0})")]
    [InlineData("`touch {0}`")]
    [InlineData("; touch {0}")]
    [InlineData("a'; touch {0}; echo '")]
    [InlineData("line1\ntouch {0}")]
    [InlineData("\" && touch {0} && \"")]
    public async Task Command_HostileArguments_ArePassedLiterallyAndRunNothing(string template)
    {
        var marker = Path.Combine(Path.GetTempPath(), "sf-pwned-" + Guid.NewGuid().ToString("N"));
        var hostile = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, marker);
        var result = await new LocalConnection("localhost").RunAsync(Shell.Command("printf", "%s", hostile), null, CancellationToken.None);
        result.Stdout.Should().Be(hostile);
        File.Exists(marker).Should().BeFalse();
    }
}
