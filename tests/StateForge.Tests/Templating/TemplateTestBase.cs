using StateForge.Templating;

namespace StateForge.Tests.Templating;

/// <summary>A shared engine and a set of variables shaped like a real play's.</summary>
public abstract class TemplateTestBase
{
    protected static readonly ScribanTemplateEngine Engine = new();

    protected static Dictionary<string, object?> Vars() => new(StringComparer.Ordinal)
    {
        ["name"] = "web",
        ["port"] = 8080L,
        ["ratio"] = 1.5,
        ["enabled"] = true,
        ["nothing"] = null,
        ["empty"] = "",
        ["flag_yes"] = "yes",
        ["text"] = "  Hello World  ",
        ["packages"] = new List<object?> { "nginx", "curl", "nginx", "git" },
        ["numbers"] = new List<object?> { 3L, 1L, 2L },
        ["users"] = new List<object?>
        {
            new Dictionary<string, object?> { ["name"] = "alice", ["uid"] = 1001L, ["admin"] = true },
            new Dictionary<string, object?> { ["name"] = "bob", ["uid"] = 1002L, ["admin"] = false },
        },
        ["config"] = new Dictionary<string, object?>
        {
            ["listen"] = "0.0.0.0",
            ["nested"] = new Dictionary<string, object?> { ["deep"] = "value", ["list"] = new List<object?> { 10L, 20L } },
        },
        ["inventory_hostname"] = "host1",
        ["hostvars"] = new Dictionary<string, object?>
        {
            ["host1"] = new Dictionary<string, object?> { ["ansible_host"] = "10.0.0.1", ["x"] = 42L },
        },
        ["ansible_facts"] = new Dictionary<string, object?> { ["os_family"] = "Debian", ["distribution_version"] = "12.4" },
        ["path"] = "/etc/nginx/nginx.conf",
        ["json_text"] = "{\"a\": 1, \"b\": [true, null, 2.5]}",
        ["result"] = new Dictionary<string, object?> { ["changed"] = true, ["failed"] = false, ["rc"] = 0L },
    };

    /// <summary>Renders a playbook value with <see cref="Vars"/>.</summary>
    protected static object? R(string template) => Engine.Render(template, Vars());

    /// <summary>Renders to text: a one-expression template is wrapped so the result is always a string.</summary>
    protected static string T(string template) => (string)Engine.Render("[" + template + "]", Vars())! is var s ? s[1..^1] : "";

    protected static bool When(string condition) => Engine.EvaluateCondition(condition, Vars());
}
