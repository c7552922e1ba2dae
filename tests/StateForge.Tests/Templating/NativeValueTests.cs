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

    [Fact]
    public void Render_PythonMethods()
    {
        R("{{ path.split('/') }}").Should().BeEquivalentTo(new List<object?> { "", "etc", "nginx", "nginx.conf" });
        R("{{ 'a:b:c'.split(':', 1) }}").Should().BeEquivalentTo(new List<object?> { "a", "b:c" });
        R("{{ text.strip().lower() }}").Should().Be("hello world");
        R("{{ path.startswith('/etc') }}").Should().Be(true);
        R("{{ ','.join(packages) }}").Should().Be("nginx,curl,nginx,git");
        R("{{ config.keys() | list }}").Should().BeEquivalentTo(new List<object?> { "listen", "nested" });
        R("{{ config.get('missing', 'dflt') }}").Should().Be("dflt");
        R("{{ '{}-{}'.format(name, port) }}").Should().Be("web-8080");
        R("{{ '%s:%d' % (name, port) }}").Should().Be("web:8080");
    }
}
