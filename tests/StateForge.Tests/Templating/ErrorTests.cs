using StateForge.Templating;

namespace StateForge.Tests.Templating;

/// <summary>Undefined variables and syntax errors become TemplateExceptions that name the variable and point at it.</summary>
public sealed class ErrorTests : TemplateTestBase
{
    [Theory]
    [InlineData("{{ foo }}", "foo")]
    [InlineData("x {{ foo.bar }}", "foo")]
    [InlineData("{{ foo | upper }}", "foo")]
    [InlineData("{{ name ~ foo }}", "foo")]
    [InlineData("{{ config.missing_key }}", "config.missing_key")]
    [InlineData("{{ config.nested.nope.deeper }}", "config.nested.nope")]
    [InlineData("{{ hostvars['other'].x }}", "hostvars['other']")]
    [InlineData("{{ users[5].name }}", "users[5]")]
    [InlineData("{% if foo %}x{% endif %}", "foo")]
    [InlineData("{% for x in foo %}{% endfor %}", "foo")]
    public void Render_Undefined_NamesTheVariable(string template, string variable)
    {
        var act = () => R(template);
        act.Should().Throw<TemplateException>().Which.Variable.Should().Be(variable);
    }

    [Fact]
    public void Condition_Undefined_NamesTheVariable()
    {
        var act = () => When("foo == 1");
        act.Should().Throw<TemplateException>().Which.Variable.Should().Be("foo");
    }

    [Fact]
    public void Render_Undefined_ReportsLineAndColumn()
    {
        var act = () => Engine.RenderFile("line one\nport {{ port }} and {{ nope }}\n", "templates/app.conf.j2", Vars());
        var e = act.Should().Throw<TemplateException>().Which;
        e.Variable.Should().Be("nope");
        (e.Line, e.Column).Should().Be((2, 24));
        e.Message.Should().Be("templates/app.conf.j2(2,24): 'nope' is undefined");
    }

    [Fact]
    public void Render_MissingKey_SaysWhatIsMissing()
    {
        var act = () => R("{{ config.nested.nope }}");
        act.Should().Throw<TemplateException>().WithMessage("'config.nested.nope' is undefined ('dict object' has no attribute 'nope')");
    }

    [Theory]
    [InlineData("{{ port + }}", "unexpected end of expression", 1, 11)]
    [InlineData("{{ port", "missing '}}' to close the block", 1, 1)]
    [InlineData("{{ 'unterminated }}", "unterminated string literal", 1, 4)]
    [InlineData("a\n{% if port %}x", "missing '{% endif %}' for this 'if'", 2, 1)]
    [InlineData("{% endfor %}", "unexpected 'endfor'", 1, 1)]
    [InlineData("{{ port | nosuchfilter }}", "no filter named 'nosuchfilter'", 1, 11)]
    [InlineData("{{ port is nosuchtest }}", "no test named 'nosuchtest'", 1, 12)]
    [InlineData("{% macro m() %}{% endmacro %}", "the Jinja tag 'macro' is not supported", 1, 1)]
    [InlineData("{% include 'x.j2' %}", "the Jinja tag 'include' is not supported", 1, 1)]
    [InlineData("{{ (1 }}", "unclosed '('", 1, 4)]
    [InlineData("{{ x ! y }}", "unexpected character '!'", 1, 6)]
    public void Render_SyntaxError_IsClear(string template, string message, int line, int column)
    {
        var act = () => R(template);
        var e = act.Should().Throw<TemplateException>().Which;
        e.Message.Should().Be("template syntax error: " + message);
        (e.Line, e.Column).Should().Be((line, column));
    }

    [Theory]
    [InlineData("{{ 'a' + 1 }}", "unsupported operand type(s) for +: 'str' and 'int'")]
    [InlineData("{{ 1 / 0 }}", "division by zero")]
    [InlineData("{{ 'x' | from_json }}", "from_json: invalid JSON")]
    [InlineData("{{ lookup('file', '/etc/passwd') }}", "lookup() is not supported")]
    [InlineData("{{ missing | mandatory }}", "Mandatory variable 'missing' not defined.")]
    [InlineData("{{ [] | first }}", "No first item, sequence was empty.")]
    [InlineData("{{ 'x' | regex_replace('(', 'y') }}", "invalid regular expression")]
    public void Render_RuntimeError_IsATemplateException(string template, string start)
    {
        var act = () => R(template);
        act.Should().Throw<TemplateException>().Which.Message.Should().StartWith(start);
    }

    [Fact]
    public void Render_HugeLoop_IsBounded()
    {
        var act = () => R("{% for i in range(1000000) %}{% for j in range(1000000) %}x{% endfor %}{% endfor %}");
        act.Should().Throw<TemplateException>();
    }

    [Fact]
    public void Render_HugeRepeat_IsBounded()
    {
        var act = () => R("{{ 'x' * 1000000000 }}");
        act.Should().Throw<TemplateException>().Which.Message.Should().Contain("longer than");
    }

    [Theory]
    [InlineData("{{ ''.__class__ }}")]
    [InlineData("{{ name.GetType() }}")]
    [InlineData("{{ include('/etc/passwd') }}")]
    [InlineData("{{ date.now }}")]
    [InlineData("{{ string.upcase('x') }}")]
    [InlineData("{{ object.typeof(1) }}")]
    public void Render_CannotReachDotNetOrScribanBuiltins(string template)
    {
        var act = () => R(template);
        act.Should().Throw<TemplateException>();
    }
}
