using StateForge.Inventory.Ini;

namespace StateForge.Tests.Inventory;

/// <summary>INI values read like Python's ast.literal_eval, falling back to the text (Ansible's _parse_value).</summary>
public sealed class PythonLiteralTests
{
    [Theory]
    [InlineData("42", 42L)]
    [InlineData("-7", -7L)]
    [InlineData("+3", 3L)]
    [InlineData("1_000", 1000L)]
    [InlineData("0x1F", 31L)]
    [InlineData("0o17", 15L)]
    [InlineData("0b101", 5L)]
    [InlineData("0", 0L)]
    [InlineData("00", 0L)]
    [InlineData("1.5", 1.5)]
    [InlineData(".5", 0.5)]
    [InlineData("5.", 5.0)]
    [InlineData("1e3", 1000.0)]
    [InlineData("True", true)]
    [InlineData("False", false)]
    [InlineData("'quoted'", "quoted")]
    [InlineData("\"double\"", "double")]
    [InlineData("'a' \"b\"", "ab")]
    [InlineData("b'bytes'", "bytes")]
    [InlineData("r'\\d+'", "\\d+")]
    [InlineData("'tab\\there'", "tab\there")]
    [InlineData("'\\x41\\u00e9'", "Aé")]
    [InlineData("...", "...")]
    [InlineData("1j", "1j")]
    [InlineData("1+2j", "(1+2j)")]
    [InlineData("23 # comment", 23L)]
    public void Evaluate_PythonLiteral_GivesItsValue(string text, object expected)
    {
        PythonLiteral.Evaluate(text).Should().Be(expected);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("yes")]
    [InlineData("FALSE")]
    [InlineData("0755")]
    [InlineData("10-5")]
    [InlineData("1.2.3.4")]
    [InlineData("host-01.internal")]
    [InlineData("hello # a comment")]
    [InlineData("'unclosed")]
    [InlineData("[1, 2")]
    [InlineData("f'{x}'")]
    [InlineData("1__0")]
    [InlineData("--1")]
    [InlineData("")]
    [InlineData("{'a': 1, **b}")]
    [InlineData("print(1)")]
    [InlineData("99999999999999999999999")]
    public void Evaluate_NotALiteral_KeepsTheText(string text)
    {
        PythonLiteral.Evaluate(text).Should().Be(text);
    }

    [Fact]
    public void Evaluate_None_IsNull()
    {
        PythonLiteral.Evaluate("None").Should().BeNull();
    }

    [Fact]
    public void Evaluate_Containers_BecomeListsAndDictionaries()
    {
        PythonLiteral.Evaluate("[1, 'two', 3.0, None,]").Should().BeEquivalentTo(new List<object?> { 1L, "two", 3.0, null });
        PythonLiteral.Evaluate("(1, 2)").Should().BeEquivalentTo(new List<object?> { 1L, 2L });
        PythonLiteral.Evaluate("(1,)").Should().BeEquivalentTo(new List<object?> { 1L });
        PythonLiteral.Evaluate("()").Should().BeEquivalentTo(new List<object?>());
        PythonLiteral.Evaluate("(7)").Should().Be(7L);
        PythonLiteral.Evaluate("80, 443").Should().BeEquivalentTo(new List<object?> { 80L, 443L });
        PythonLiteral.Evaluate("{1, 2, 2}").Should().BeEquivalentTo(new List<object?> { 1L, 2L });
        PythonLiteral.Evaluate("set()").Should().BeEquivalentTo(new List<object?>());
        PythonLiteral.Evaluate("{}").Should().BeEquivalentTo(new Dictionary<string, object?>());
        PythonLiteral.Evaluate("{'a': {'b': [True]}, 2: 'two'}").Should().BeEquivalentTo(new Dictionary<string, object?>
        {
            ["a"] = new Dictionary<string, object?> { ["b"] = new List<object?> { true } },
            ["2"] = "two",
        });
        PythonLiteral.Evaluate("[..., 1j, set(), {1, 2}, b'x']").Should().BeEquivalentTo(new List<object?>
        {
            "...", "1j", new List<object?>(), new List<object?> { 1L, 2L }, "x",
        });
    }

    [Fact]
    public void Evaluate_MultiLineTripleQuotedString_IsOneString()
    {
        PythonLiteral.Evaluate("'''a\nb'''").Should().Be("a\nb");
    }
}
