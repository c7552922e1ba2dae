using StateForge.Modules;
using StateForge.Validation;

namespace StateForge.Tests.Corpus;

/// <summary>What mutations insert: YAML punctuation, the language's own words, and values that have broken parsers before.</summary>
internal static class FuzzVocabulary
{
    public static readonly string[] Punctuation =
    [
        ":", "-", "{", "}", "[", "]", "\"", "'", "\t", "\0", "&a", "*a", "!", "!!", "|", ">", "#", "%", "@", "`", "?", ",",
        "\r", "\n", " ", "- ", ": ", "? ", "\\", "{{", "}}", "{%", "é", "\uFEFF", "\uD800", "\u0085", "\u2028", "\u007F",
        "---\n", "...\n", "<<: *a\n", "&a ", "*b", "%YAML 1.2\n", "%TAG ! tag:x,2000:\n", "!<tag:x>", "=", "~", "\\x", "\\u12",
    ];

    public static readonly string[] Scalars =
    [
        "yes", "no", "~", "null", "0777", "0o777", "0x1F", "0x_", "0b_", "0o_", "0_", "-0", ".inf", "-.nan", "1e999", "1_000",
        "99999999999999999999", "-9223372036854775809", "''", "\"\"", "\"{{ x }}\"", "{{ x }}", "{{", "\"\\u12\"", "\"\\x\"",
        "!!binary AAA", "!!int x", "!!bool maybe", "!!null x", "!!python/object:os.system", "!!map", "!!seq", "!!str",
        "[]", "{}", "[a, [b, [c]]]", "{a: {b: {c: d}}}", "&x [*x]", "*undefined", "&a [1, 2]", "*a", "{<<: *a}",
        "web[", "web]", "~(", "a:&", "a:!", "node[3:1]", "node[a:1]", "node[1:]", "all[0:-1]", "web[99999999999]",
        "path=/tmp/x state=directory", "a=b=c", "'unclosed", "\"unclosed", "k=\"v", "\\", "/", ".", "..", "../../../etc/passwd",
        "/dev/zero", "/proc/self/mem", "$(reboot)", "`reboot`", "; rm -rf /", "| cat", "-1", "2147483648", "1.5", "True", "FALSE",
        "\"a\\0b\"", "\"\\uD800\"", "\"\\U0001F600\"", "\"\\N\\_\\L\\P\"", "|2-", ">+", "? ", "!!set {a, b}", "!!omap [a: 1]",
    ];

    public static readonly string[] Keys = BuildKeys();

    private static string[] BuildKeys()
    {
        var parameters = ModuleCatalog.BuiltIn.Modules
            .SelectMany(m => ParameterSchema.For(m.ParametersType).Parameters.SelectMany(p => p.AllNames));
        string[] inventory = ["all", "hosts", "children", "vars", "ungrouped", "ansible_host", "ansible_port", "ansible_group_priority", "plugin"];
        return [.. Keywords.Play, .. Keywords.Task, .. Keywords.Block, .. Keywords.IncludeActions, .. Keywords.MetaActions,
            .. Keywords.LoopControl, .. Keywords.RoleEntry, .. ModuleCatalog.BuiltIn.Names, .. parameters, .. inventory,
            "import_playbook", "role", "block", "<<", "? x", "frobnicate", "lineinfle"];
    }
}
