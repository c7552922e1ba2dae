using StateForge.Diagnostics;
using StateForge.Parsing;

namespace StateForge.Tests.Parsing;

public sealed class YamlLoaderTests
{
    private static (YNode? Node, DiagnosticBag Diagnostics) Load(string text)
    {
        var d = new DiagnosticBag();
        return (YamlLoader.Load("p.yml", text, d), d);
    }

    [Fact]
    public void Load_Mapping_KeepsPositionsOfKeysAndValues()
    {
        var (node, d) = Load("- name: x\n  file:\n    path: /tmp/a\n");
        d.Should().BeEmpty();
        var task = (YMapping)((YSequence)node!).Items[0];
        task.Span.Should().Be(new SourceSpan("p.yml", 1, 3));
        var file = (YMapping)task["file"]!;
        file.Entries[0].Key.Span.Should().Be(new SourceSpan("p.yml", 3, 5));
        ((YScalar)file["path"]!).Span.Should().Be(new SourceSpan("p.yml", 3, 11));
    }

    [Fact]
    public void Load_DuplicateKey_ReportsBothPositions()
    {
        var (_, d) = Load("a: 1\nb: 2\na: 3\n");
        d.Should().ContainSingle().Which.ToString().Should().Be("p.yml(3,1): error SF0002: duplicate key 'a' (first defined at line 1, column 1)");
    }

    [Fact]
    public void Load_SyntaxError_PointsAtTheLine()
    {
        var (node, d) = Load("a: 1\nb: [1, 2\nc: 3\n");
        node.Should().BeNull();
        d.Should().ContainSingle().Which.Code.Should().Be("SF0001");
        d[0].Span.Line.Should().BeInRange(2, 3);
    }

    [Fact]
    public void Load_TabIndentation_IsAClearError()
    {
        var (_, d) = Load("a:\n\tb: 1\n");
        d.Should().ContainSingle().Which.ToString().Should().Contain("p.yml(2,1): error SF0001").And.Contain("tab");
    }

    [Fact]
    public void Load_AliasesAndMergeKeys_Resolve()
    {
        var (node, d) = Load("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n");
        d.Should().BeEmpty();
        var other = (IDictionary<string, object?>)((YMapping)node!)["other"]!.ToPlain()!;
        other.Should().BeEquivalentTo(new Dictionary<string, object?> { ["x"] = 1L, ["y"] = 3L });
    }

    [Fact]
    public void Load_DeepNesting_IsBoundedWithADiagnostic()
    {
        var text = new string('[', 500) + new string(']', 500);
        var (node, d) = Load(text);
        node.Should().BeNull();
        d.Should().ContainSingle().Which.Code.Should().Be("SF0026");
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("off", false)]
    [InlineData("0755", 493L)]
    [InlineData("0x1f", 31L)]
    [InlineData("42", 42L)]
    [InlineData("1.5", 1.5)]
    [InlineData("~", null)]
    [InlineData("hello", "hello")]
    [InlineData("y", "y")]
    [InlineData("n", "n")]
    [InlineData("08", "08")]
    public void Resolve_PlainScalars_AsAnsibleYamlDoes(string text, object? expected)
    {
        ScalarResolver.Resolve(text, null).Should().Be(expected);
    }

    [Fact]
    public void Load_QuotedScalars_StayStrings()
    {
        var (node, _) = Load("mode: '0755'\nflag: \"yes\"\n");
        var plain = (IDictionary<string, object?>)node!.ToPlain()!;
        plain["mode"].Should().Be("0755");
        plain["flag"].Should().Be("yes");
    }
}
