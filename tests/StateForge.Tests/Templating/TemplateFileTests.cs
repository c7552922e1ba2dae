using StateForge.Templating;

namespace StateForge.Tests.Templating;

/// <summary>Jinja statements in template files, with Ansible's template-module whitespace rules (trim_blocks on).</summary>
public sealed class TemplateFileTests : TemplateTestBase
{
    private static string File(string text, TemplateFileOptions? options = null) =>
        Engine.RenderFile(text, "templates/test.j2", Vars(), options ?? TemplateFileOptions.Default);

    [Fact]
    public void For_RendersEachItem_WithTrimBlocks()
    {
        File("{% for p in packages | unique %}\n- {{ p }}\n{% endfor %}\n").Should().Be("- nginx\n- curl\n- git\n");
    }

    [Fact]
    public void For_LoopVariables()
    {
        File("{% for u in users %}{{ loop.index }}/{{ loop.length }}:{{ u.name }}{{ ',' if not loop.last }}{% endfor %}")
            .Should().Be("1/2:alice,2/2:bob");
        File("{% for u in users %}{{ loop.index0 }}{{ loop.first }}{{ loop.revindex }}{% endfor %}").Should().Be("0True21False1");
    }

    [Fact]
    public void For_OverDictItems_UnpacksPairs()
    {
        File("{% for key, value in {'a': 1, 'b': 2}.items() %}{{ key }}={{ value }};{% endfor %}").Should().Be("a=1;b=2;");
        File("{% for k in config %}{{ k }} {% endfor %}").Should().Be("listen nested ");
    }

    [Fact]
    public void For_WithFilterAndElse()
    {
        File("{% for u in users if u.admin %}{{ u.name }}({{ loop.length }}){% else %}none{% endfor %}").Should().Be("alice(1)");
        File("{% for x in [] %}{{ x }}{% else %}none{% endfor %}").Should().Be("none");
    }

    [Fact]
    public void For_BreakAndContinue()
    {
        File("{% for n in range(10) %}{% if n == 1 %}{% continue %}{% endif %}{% if n > 3 %}{% break %}{% endif %}{{ n }}{% endfor %}").Should().Be("023");
    }

    [Fact]
    public void NestedLoops_SeeTheirOwnLoopVariable()
    {
        File("{% for a in [1, 2] %}{% for b in ['x', 'y'] %}{{ a }}{{ b }}{{ loop.index }} {% endfor %}{% endfor %}")
            .Should().Be("1x1 1y2 2x1 2y2 ");
    }

    [Fact]
    public void If_ElifElse()
    {
        const string template = "{% if port < 80 %}low{% elif port < 9000 %}mid{% else %}high{% endif %}";
        File(template).Should().Be("mid");
        File("{% if missing is defined %}a{% elif enabled %}b{% endif %}").Should().Be("b");
    }

    [Fact]
    public void Set_AssignsAndDoesNotLeakOutOfLoops()
    {
        File("{% set greeting = 'hi ' ~ name %}{{ greeting }}").Should().Be("hi web");
        File("{% set total = 0 %}{% for n in numbers %}{% set total = total + n %}{% endfor %}{{ total }}").Should().Be("0");
        File("{% set ns = namespace(total=0) %}{% for n in numbers %}{% set ns.total = ns.total + n %}{% endfor %}{{ ns.total }}").Should().Be("6");
    }

    [Fact]
    public void SetBlock_CapturesRenderedText()
    {
        File("{% set block %}[{{ name }}]{% endset %}{{ block | upper }}").Should().Be("[WEB]");
    }

    [Fact]
    public void Comments_AreDropped()
    {
        File("a{# a comment with {{ braces }} #}b\n{# line comment #}\nc").Should().Be("ab\nc");
    }

    [Fact]
    public void WhitespaceControl_StripsAllWhitespaceOnThatSide()
    {
        File("a   \n  {%- if true -%}  \n  b  \n  {%- endif %}\nc").Should().Be("abc");
        File("x  {{- name -}}  y").Should().Be("xweby");
    }

    [Fact]
    public void LstripBlocks_RemovesIndentationBeforeTags()
    {
        const string template = "<list>\n    {% for p in ['a', 'b'] %}\n    <i>{{ p }}</i>\n    {% endfor %}\n</list>\n";
        File(template, new TemplateFileOptions(TrimBlocks: true, LstripBlocks: true)).Should().Be("<list>\n    <i>a</i>\n    <i>b</i>\n</list>\n");
        File(template).Should().Be("<list>\n        <i>a</i>\n        <i>b</i>\n    </list>\n");
    }

    [Fact]
    public void Raw_IsCopiedUntouched()
    {
        File("{% raw %}{{ not_a_var }} {% if %}{% endraw %}!").Should().Be("{{ not_a_var }} {% if %}!");
    }

    [Fact]
    public void TrailingNewline_IsKeptLikeAnsible()
    {
        File("{% if true %}x{% endif %}\n").Should().Be("x\n");
        File("a\n\n").Should().Be("a\n\n");
    }

    [Fact]
    public void Braces_AndScribanSyntax_AreJustText()
    {
        File("server { listen {{ port }}; }\n{{ '{{' }} {% raw %}{{ end }}{% endraw %}").Should().Be("server { listen 8080; }\n{{ {{ end }}");
    }

    [Fact]
    public void RealisticConfigFile()
    {
        const string template = """
            # {{ ansible_managed | default('Managed by StateForge') }}
            {% for u in users %}
            user {{ u.name }} uid={{ u.uid }}{% if u.admin %} admin{% endif %}

            {% endfor %}
            listen {{ config.listen }}:{{ port }}
            {% set hosts = hostvars.values() | map(attribute='ansible_host') | list %}
            upstream {{ hosts | join(' ') }}
            """;
        File(template).Should().Be("# Managed by StateForge\nuser alice uid=1001 admin\nuser bob uid=1002\nlisten 0.0.0.0:8080\nupstream 10.0.0.1");
    }
}
