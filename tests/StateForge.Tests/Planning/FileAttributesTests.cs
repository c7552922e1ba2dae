using StateForge.Facts;
using StateForge.Planning;
using FileAttributes = StateForge.Planning.FileAttributes;

namespace StateForge.Tests.Planning;

public sealed class FileAttributesTests
{
    [Theory]
    [InlineData("0644", "777", false, "644")]
    [InlineData("644", "777", false, "644")]
    [InlineData("0o600", "777", false, "600")]
    [InlineData("1777", "755", true, "1777")]
    [InlineData("u=rw,g=r,o=r", "777", false, "644")]
    [InlineData("u+x", "644", false, "744")]
    [InlineData("a+x", "644", false, "755")]
    [InlineData("+x", "644", false, "755")]
    [InlineData("+w", "444", false, "644")]
    [InlineData("go-rwx", "755", false, "700")]
    [InlineData("u=rwX,g=rX,o=", "644", false, "640")]
    [InlineData("u=rwX,g=rX,o=", "644", true, "750")]
    [InlineData("u=rwX,g=rX,o=", "744", false, "750")]
    [InlineData("g=u", "640", false, "660")]
    [InlineData("u+s,g+s,o+t", "755", true, "7755")]
    [InlineData("u+r-x", "744", false, "644")]
    [InlineData("a=", "777", false, "0")]
    public void Resolve_MatchesAnsible(string mode, string current, bool directory, string expected) =>
        FileAttributes.Format(FileAttributes.Resolve(mode, Convert.ToInt32(current, 8), directory)).Should().Be(expected.PadLeft(4, '0'));

    [Theory]
    [InlineData("0644", true)]
    [InlineData("u=rw,g=r", true)]
    [InlineData("a+X", true)]
    [InlineData("preserve", true)]
    [InlineData("rwxr-xr-x", false)]
    [InlineData("u=rw,", false)]
    [InlineData("0999", false)]
    [InlineData("z+x", false)]
    public void ValidateMode_AcceptsOctalAndSymbolic(string mode, bool valid) =>
        (FileAttributes.ValidateMode(mode) is null).Should().Be(valid);

    [Fact]
    public async Task Resolve_AgreesWithChmodUnderUmask022()
    {
        using var host = new LocalHost();
        string[] modes = ["u=rwX,g=rX,o=", "a+X", "+x", "go=u-w", "o=g", "u-w,a+r", "ug+s,o+t", "=r", "u=,g=,o=rw"];
        foreach (var mode in modes)
        {
            foreach (var (octal, directory) in new[] { ("644", false), ("700", false), ("750", true), ("600", true) })
            {
                var start = Convert.ToInt32(octal, 8);
                var path = host.Path("p");
                var script = directory ? $"rm -rf {path}; mkdir {path}" : $"rm -rf {path}; touch {path}";
                var actual = await host.ShAsync($"umask 022; {script}; chmod {Convert.ToString(start, 8)} {path}; chmod -- '{mode}' {path}; stat -c %a {path}");

                var expected = FileAttributes.Resolve(mode, start, directory);

                Convert.ToInt32(actual, 8).Should().Be(expected, $"chmod {mode} on {(directory ? "a directory" : "a file")} with mode {Convert.ToString(start, 8)}");
            }
        }
    }

    [Fact]
    public void Plan_ComparesAndBuildsOneQuotedStep()
    {
        var current = new FileState(FileKind.File, "root", "root", "0644");

        var change = FileAttributes.Plan("/etc/it's", current, new DesiredAttributes("nobody", "root", "u=rw,go=") { OwnerName = "nobody" });

        change.DiffLines.Should().Equal("owner: root -> nobody", "mode: 0644 -> 0600");
        change.After.Should().Be(current with { Owner = "nobody", Mode = "0600" });
        change.Step!.Script.Should().Be("chown -- nobody '/etc/it'\"'\"'s' && chmod -- 00600 '/etc/it'\"'\"'s'");
        FileAttributes.Plan("/x", current, new DesiredAttributes("root", "root", "0644")).Changed.Should().BeFalse();
    }

    [Theory]
    [InlineData("/a/b/../c/./d//e", "/a/c/d/e")]
    [InlineData("/../a", "/a")]
    [InlineData("a/../../b", "../b")]
    [InlineData("./", ".")]
    public void Normalize_IsLexical(string path, string expected) =>
        FileAttributes.Normalize(path).Should().Be(expected);

    [Theory]
    [InlineData("/a/b", "/a")]
    [InlineData("/a", "/")]
    [InlineData("a", ".")]
    [InlineData("/a/b/", "/a")]
    public void Parent_OfPaths(string path, string expected) =>
        FileAttributes.Parent(path).Should().Be(expected);
}
