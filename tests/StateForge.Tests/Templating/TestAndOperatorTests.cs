namespace StateForge.Tests.Templating;

/// <summary>Jinja tests (`is …`), comparisons, membership and boolean logic, as `when:` uses them.</summary>
public sealed class TestAndOperatorTests : TemplateTestBase
{
    [Theory]
    [InlineData("name is defined", true)]
    [InlineData("missing is defined", false)]
    [InlineData("missing is not defined", true)]
    [InlineData("missing is undefined", true)]
    [InlineData("config.absent is defined", false)]
    [InlineData("missing.attr is defined", false)]
    [InlineData("hostvars[inventory_hostname].x is defined", true)]
    [InlineData("nothing is none", true)]
    [InlineData("name is none", false)]
    [InlineData("name is string", true)]
    [InlineData("port is string", false)]
    [InlineData("port is number", true)]
    [InlineData("ratio is number", true)]
    [InlineData("port is integer", true)]
    [InlineData("ratio is float", true)]
    [InlineData("enabled is boolean", true)]
    [InlineData("config is mapping", true)]
    [InlineData("packages is mapping", false)]
    [InlineData("packages is sequence", true)]
    [InlineData("name is sequence", true)]
    [InlineData("port is sequence", false)]
    [InlineData("port is divisibleby 8", true)]
    [InlineData("port is even", true)]
    [InlineData("'abc' is match('a.c')", true)]
    [InlineData("'xabc' is match('abc')", false)]
    [InlineData("'xabc' is search('abc')", true)]
    [InlineData("ansible_facts.distribution_version is version('12', '>=')", true)]
    [InlineData("'1.10.0' is version('1.9', '>')", true)]
    [InlineData("result is changed", true)]
    [InlineData("result is failed", false)]
    [InlineData("result is succeeded", true)]
    [InlineData("[1] is subset([1, 2])", true)]
    public void Tests(string condition, bool expected) => When(condition).Should().Be(expected);

    [Theory]
    [InlineData("'nginx' in packages", true)]
    [InlineData("'apache' not in packages", true)]
    [InlineData("'listen' in config", true)]
    [InlineData("'Wor' in text", true)]
    [InlineData("not enabled", false)]
    [InlineData("not nothing", true)]
    [InlineData("enabled and port > 80", true)]
    [InlineData("nothing or empty", false)]
    [InlineData("port == 8080", true)]
    [InlineData("port == 8080.0", true)]
    [InlineData("port != '8080'", true)]
    [InlineData("name == 'web' and ansible_facts.os_family == 'Debian'", true)]
    [InlineData("port < 9000 and port >= 8080", true)]
    [InlineData("1 < port < 9000", true)]
    [InlineData("[1, 2] == [1, 2]", true)]
    [InlineData("{'a': 1} == {'a': 1}", true)]
    [InlineData("packages | length > 3", true)]
    [InlineData("missing is defined and missing.x == 1", false)]
    [InlineData("missing is not defined or missing.x == 1", true)]
    [InlineData("True", true)]
    [InlineData("False", false)]
    [InlineData("empty", false)]
    [InlineData("packages", true)]
    [InlineData("[]", false)]
    [InlineData("0", false)]
    [InlineData("'false'", true)]
    [InlineData("flag_yes | bool", true)]
    [InlineData("", true)]
    public void Conditions(string condition, bool expected) => When(condition).Should().Be(expected);

    [Fact]
    public void Condition_TemplatedLikeAnsible_IsRenderedThenEvaluated()
    {
        Engine.EvaluateCondition("{{ enabled }}", Vars()).Should().BeTrue();
        Engine.EvaluateCondition("{{ 'nginx' in packages }}", Vars()).Should().BeTrue();
        Engine.EvaluateCondition("{{ 'port > 9000' }}", Vars()).Should().BeFalse();
    }

    [Theory]
    [InlineData("{{ packages + ['vim'] }}", "['nginx', 'curl', 'nginx', 'git', 'vim']")]
    [InlineData("{{ 'a' + 'b' }}", "ab")]
    [InlineData("{{ range(3) | list }}", "[0, 1, 2]")]
    [InlineData("{{ range(1, 10, 4) | list }}", "[1, 5, 9]")]
    [InlineData("{{ (port * 2) - 1 }}", "16159")]
    [InlineData("{{ dict(a=1) }}", "{'a': 1}")]
    [InlineData("{{ 'yes' if 'nginx' in packages else 'no' }}", "yes")]
    public void Operators(string template, string expected) => T(template).Should().Be(expected);
}
