using StateForge.Templating;

namespace StateForge.Tests.Templating;

public sealed class NativeValueTests : TemplateTestBase
{
    [Fact]
    public void Render_PlainString_IsReturnedUnchanged()
    {
        const string plain = "no templates here: { not } a } template";
        Engine.Render(plain, Vars()).Should().BeSameAs(plain);
    }

    [Fact]
    public void Render_SingleExpression_YieldsNativeList()
    {
        R("{{ packages }}").Should().BeEquivalentTo(new List<object?> { "nginx", "curl", "nginx", "git" });
    }

    [Fact]
    public void Render_SingleExpressionWithSurroundingWhitespace_YieldsNativeNumber()
    {
        R("  {{ port }} ").Should().Be(8080L);
    }

    [Fact]
    public void Render_Arithmetic_KeepsPythonTypes()
    {
        R("{{ port + 1 }}").Should().Be(8081L);
        R("{{ 7 / 2 }}").Should().Be(3.5);
        R("{{ 7 // 2 }}").Should().Be(3L);
        R("{{ -7 // 2 }}").Should().Be(-4L);
        R("{{ -7 % 3 }}").Should().Be(2L);
        R("{{ 2 ** 10 }}").Should().Be(1024L);
        R("{{ 1e3 }}").Should().Be(1000.0);
    }

    [Fact]
    public void Render_Literals_AreNative()
    {
        R("{{ [1, 'two', [3]] }}").Should().BeEquivalentTo(new List<object?> { 1L, "two", new List<object?> { 3L } });
        R("{{ {'a': 1, 'b': none} }}").Should().BeEquivalentTo(new Dictionary<string, object?> { ["a"] = 1L, ["b"] = null });
        R("{{ True }}").Should().Be(true);
        R("{{ false }}").Should().Be(false);
        R("{{ None }}").Should().BeNull();
    }

    [Fact]
    public void Render_MixedText_PrintsLikePython()
    {
        R("x={{ numbers }} b={{ enabled }} n={{ nothing }} f={{ ratio }} d={{ {'k': 'v'} }}")
            .Should().Be("x=[3, 1, 2] b=True n= f=1.5 d={'k': 'v'}");
    }

    [Fact]
    public void Render_NestedAccess_AllForms()
    {
        R("{{ config.nested.deep }}").Should().Be("value");
        R("{{ config['nested']['list'][1] }}").Should().Be(20L);
        R("{{ config.nested.list[-1] }}").Should().Be(20L);
        R("{{ config.nested.list.0 }}").Should().Be(10L);
        R("{{ hostvars[inventory_hostname].ansible_host }}").Should().Be("10.0.0.1");
        R("{{ ansible_facts.os_family }}").Should().Be("Debian");
        R("{{ users[1].name }}").Should().Be("bob");
        R("{{ packages[1:3] }}").Should().BeEquivalentTo(new List<object?> { "curl", "nginx" });
        R("{{ name[::-1] }}").Should().Be("bew");
    }

    [Fact]
    public void Render_ListsAndDictionaries_RenderEveryString()
    {
        var value = new Dictionary<string, object?>
        {
            ["plain"] = "x",
            ["{{ name }}_key"] = new List<object?> { "{{ port }}", 5L, "p{{ port }}" },
        };
        Engine.Render(value, Vars()).Should().BeEquivalentTo(new Dictionary<string, object?>
        {
            ["plain"] = "x",
            ["web_key"] = new List<object?> { 8080L, 5L, "p8080" },
        });
    }

    [Fact]
    public void Evaluate_BareExpression_YieldsNativeValue()
    {
        Engine.Evaluate("users | map(attribute='uid') | list", Vars()).Should().BeEquivalentTo(new List<object?> { 1001L, 1002L });
    }

    [Fact]
    public void Render_StringConcatenationAndInlineIf()
    {
        R("{{ 'a' ~ port ~ name | upper }}").Should().Be("a8080WEB");
        R("{{ 'on' if enabled else 'off' }}").Should().Be("on");
        R("{{ 'on' if nothing else 'off' }}").Should().Be("off");
        R("{{ 'x' if false }}").Should().Be("");
        R("{{ nothing or 'fallback' }}").Should().Be("fallback");
        R("{{ name and port }}").Should().Be(8080L);
        R("{{ empty and port }}").Should().Be("");
    }

    [Fact]
    public void Render_Omit_IsThePlaceholder()
    {
        R("{{ nothing | default(omit) }}").Should().BeNull();
        R("{{ missing | default(omit) }}").Should().Be(ScribanTemplateEngine.OmitPlaceholder);
    }

    [Theory]
    [InlineData("{{ path.split('/') }}", "['', 'etc', 'nginx', 'nginx.conf']")]
    [InlineData("{{ 'a:b:c'.split(':', 1) }}", "['a', 'b:c']")]
    [InlineData("{{ 'a b  c'.split() }}", "['a', 'b', 'c']")]
    [InlineData("{{ 'a:b:c'.rsplit(':', 1) }}", "['a:b', 'c']")]
    [InlineData("{{ text.strip().lower() }}", "hello world")]
    [InlineData("{{ path.startswith('/etc') }}", "True")]
    [InlineData("{{ path.endswith(('.conf', '.cfg')) }}", "True")]
    [InlineData("{{ ','.join(packages) }}", "nginx,curl,nginx,git")]
    [InlineData("{{ config.keys() | list }}", "['listen', 'nested']")]
    [InlineData("{{ config.items() | list | first }}", "['listen', '0.0.0.0']")]
    [InlineData("{{ config.get('missing', 'dflt') }}", "dflt")]
    [InlineData("{{ '{}-{}'.format(name, port) }}", "web-8080")]
    [InlineData("{{ '{0:>6}|{1:05d}'.format(name, 42) }}", "   web|00042")]
    [InlineData("{{ '%s:%d' % (name, port) }}", "web:8080")]
    [InlineData("{{ '%-5s|%05.1f' % ('ab', 3.14159) }}", "ab   |003.1")]
    [InlineData("{{ name.replace('w', 'W') }}", "Web")]
    [InlineData("{{ packages.index('curl') }}", "1")]
    [InlineData("{{ 'x' * 3 }}", "xxx")]
    public void Render_PythonMethodsAndOperators(string template, string expected)
    {
        T(template).Should().Be(expected);
    }
}
