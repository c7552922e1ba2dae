namespace StateForge.Tests.Templating;

/// <summary>Each filter as a playbook uses it, printed the way Ansible prints the result.</summary>
public sealed class FilterTests : TemplateTestBase
{
    [Theory]
    [InlineData("{{ missing | default('a') }}", "a")]
    [InlineData("{{ missing.deeper.still | default('a') }}", "a")]
    [InlineData("{{ config.absent | default('a') }}", "a")]
    [InlineData("{{ hostvars['nohost'].x | default('a') }}", "a")]
    [InlineData("{{ name | default('a') }}", "web")]
    [InlineData("{{ nothing | default('a') }}", "")]
    [InlineData("{{ empty | default('a', true) }}", "a")]
    [InlineData("{{ missing | d('short') }}", "short")]
    [InlineData("{{ missing | default(other_missing) | default('third') }}", "third")]
    [InlineData("{{ missing | default() }}", "")]
    public void Default(string template, string expected) => T(template).Should().Be(expected);

    [Theory]
    [InlineData("{{ packages | join(',') }}", "nginx,curl,nginx,git")]
    [InlineData("{{ numbers | join }}", "312")]
    [InlineData("{{ users | join(', ', attribute='name') }}", "alice, bob")]
    [InlineData("{{ packages | length }}", "4")]
    [InlineData("{{ name | length }}", "3")]
    [InlineData("{{ config | count }}", "2")]
    [InlineData("{{ packages | first }}", "nginx")]
    [InlineData("{{ packages | last }}", "git")]
    [InlineData("{{ packages | unique }}", "['nginx', 'curl', 'git']")]
    [InlineData("{{ numbers | sort }}", "[1, 2, 3]")]
    [InlineData("{{ numbers | sort(reverse=true) }}", "[3, 2, 1]")]
    [InlineData("{{ ['b', 'A', 'c'] | sort }}", "['A', 'b', 'c']")]
    [InlineData("{{ users | sort(attribute='uid', reverse=true) | map(attribute='name') | list }}", "['bob', 'alice']")]
    [InlineData("{{ name | list }}", "['w', 'e', 'b']")]
    [InlineData("{{ numbers | min }}/{{ numbers | max }}/{{ numbers | sum }}", "1/3/6")]
    [InlineData("{{ [[1, [2]], 3] | flatten }}", "[1, 2, 3]")]
    [InlineData("{{ [[1, [2]], 3] | flatten(levels=1) }}", "[1, [2], 3]")]
    [InlineData("{{ [1, 2, 3] | difference([2]) }}", "[1, 3]")]
    [InlineData("{{ [1, 2] | union([2, 3]) }}", "[1, 2, 3]")]
    [InlineData("{{ [1, 2] | intersect([2, 3]) }}", "[2]")]
    [InlineData("{{ [1, 2] | zip(['a', 'b']) | list }}", "[[1, 'a'], [2, 'b']]")]
    [InlineData("{{ numbers | reverse | list }}", "[2, 1, 3]")]
    public void Lists(string template, string expected) => T(template).Should().Be(expected);

    [Theory]
    [InlineData("{{ config | dict2items | map(attribute='key') | list }}", "['listen', 'nested']")]
    [InlineData("{{ {'a': 1} | dict2items(key_name='k', value_name='v') }}", "[{'k': 'a', 'v': 1}]")]
    [InlineData("{{ [{'key': 'a', 'value': 1}, {'key': 'b', 'value': 2}] | items2dict }}", "{'a': 1, 'b': 2}")]
    [InlineData("{{ {'a': 1, 'n': {'x': 1}} | combine({'b': 2, 'n': {'y': 2}}) }}", "{'a': 1, 'n': {'y': 2}, 'b': 2}")]
    [InlineData("{{ {'a': 1, 'n': {'x': 1}} | combine({'n': {'y': 2}}, recursive=true) }}", "{'a': 1, 'n': {'x': 1, 'y': 2}}")]
    [InlineData("{{ {'b': 1, 'a': 2} | dictsort }}", "[['a', 2], ['b', 1]]")]
    [InlineData("{{ users | map(attribute='name') | list }}", "['alice', 'bob']")]
    [InlineData("{{ packages | map('upper') | list }}", "['NGINX', 'CURL', 'NGINX', 'GIT']")]
    [InlineData("{{ packages | select('match', '^n') | list }}", "['nginx', 'nginx']")]
    [InlineData("{{ packages | reject('equalto', 'nginx') | list }}", "['curl', 'git']")]
    [InlineData("{{ users | selectattr('admin') | map(attribute='name') | list }}", "['alice']")]
    [InlineData("{{ users | selectattr('uid', 'gt', 1001) | map(attribute='name') | list }}", "['bob']")]
    [InlineData("{{ users | rejectattr('admin') | map(attribute='name') | first }}", "bob")]
    [InlineData("{{ users | selectattr('shell', 'defined') | list }}", "[]")]
    public void DictsAndSelection(string template, string expected) => T(template).Should().Be(expected);

    [Theory]
    [InlineData("{{ 'yes' | bool }}|{{ 'On' | bool }}|{{ '1' | bool }}|{{ 'true' | bool }}|{{ 1 | bool }}", "True|True|True|True|True")]
    [InlineData("{{ 'no' | bool }}|{{ 'false' | bool }}|{{ 'off' | bool }}|{{ 'anything' | bool }}|{{ 0 | bool }}|{{ nothing | bool }}", "False|False|False|False|False|False")]
    [InlineData("{{ '42' | int + 1 }}", "43")]
    [InlineData("{{ ' 7 ' | int }}|{{ '4.9' | int }}|{{ 'abc' | int }}|{{ 'abc' | int(5) }}|{{ 3.9 | int }}", "7|4|0|5|3")]
    [InlineData("{{ '0x1F' | int(base=16) }}", "31")]
    [InlineData("{{ '1.5' | float * 2 }}", "3.0")]
    [InlineData("{{ port | string ~ '!' }}", "8080!")]
    [InlineData("{{ nothing | string }}", "None")]
    [InlineData("{{ -3 | abs }}|{{ 2.567 | round(2) }}|{{ 2.5 | round }}", "3|2.57|3.0")]
    [InlineData("{{ enabled | ternary('on', 'off') }}", "on")]
    [InlineData("{{ port | type_debug }}|{{ name | type_debug }}|{{ packages | type_debug }}", "int|str|list")]
    public void Conversions(string template, string expected) => T(template).Should().Be(expected);

    [Theory]
    [InlineData("{{ name | upper }}|{{ 'ABC' | lower }}|{{ 'hello world' | capitalize }}|{{ 'hello world' | title }}", "WEB|abc|Hello world|Hello World")]
    [InlineData("[{{ text | trim }}]", "[Hello World]")]
    [InlineData("{{ 'a-b-c' | replace('-', '_') }}", "a_b_c")]
    [InlineData("{{ 'a-b-c' | replace('-', '_', 1) }}", "a_b-c")]
    [InlineData("{{ 'ab12cd' | regex_replace('[0-9]+', '#') }}", "ab#cd")]
    [InlineData("{{ 'key=value' | regex_replace('^(\\\\w+)=(\\\\w+)$', '\\\\2=\\\\1') }}", "value=key")]
    [InlineData("{{ 'key=value' | regex_replace('^(?P<k>\\\\w+)=.*$', '\\\\g<k>') }}", "key")]
    [InlineData("{{ 'cost $5' | regex_replace('\\\\d', 'N') }}", "cost $N")]
    [InlineData("{{ 'version 1.2.3' | regex_search('[0-9.]+') }}", "1.2.3")]
    [InlineData("{{ 'a1b22' | regex_findall('[0-9]+') }}", "['1', '22']")]
    [InlineData("{{ \"it's $(rm -rf /)\" | quote }}", "'it'\"'\"'s $(rm -rf /)'")]
    [InlineData("{{ 'safe-word' | quote }}", "safe-word")]
    [InlineData("{{ path | basename }}|{{ path | dirname }}", "nginx.conf|/etc/nginx")]
    [InlineData("{{ 'abc' | b64encode }}|{{ 'YWJj' | b64decode }}", "YWJj|abc")]
    [InlineData("{{ 'abc' | hash('sha256') }}", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("{{ 'a\nb' | indent(2) }}", "a\n  b")]
    [InlineData("{{ '%s=%s' | format('k', 1) }}", "k=1")]
    [InlineData("{{ 'a,b' | split(',') }}", "['a', 'b']")]
    public void Strings(string template, string expected) => T(template).Should().Be(expected);

    [Theory]
    [InlineData("{{ {'a': 1, 'b': [True, None, 'é']} | to_json }}", "{\"a\": 1, \"b\": [true, null, \"\\u00e9\"]}")]
    [InlineData("{{ {'b': 1, 'a': {'c': []}} | to_nice_json }}", "{\n    \"a\": {\n        \"c\": []\n    },\n    \"b\": 1\n}")]
    [InlineData("{{ (json_text | from_json).b[2] }}", "2.5")]
    [InlineData("{{ (json_text | from_json).a + 1 }}", "2")]
    [InlineData("{{ {'a': 1, 'b': ['x', 'yes']} | to_yaml }}", "a: 1\nb:\n- x\n- 'yes'\n")]
    [InlineData("{{ {'k': {'list': [{'x': 1, 'mode': '0755'}], 'e': []}} | to_nice_yaml }}", "k:\n    e: []\n    list:\n    -   mode: '0755'\n        x: 1\n")]
    [InlineData("{{ ('a: [1, 2]\nb: yes' | from_yaml).b }}", "True")]
    public void Data(string template, string expected) => T(template).Should().Be(expected);

    [Fact]
    public void FilterNames_MayBeFullyQualified()
    {
        T("{{ {'a': 1} | ansible.builtin.to_json }}").Should().Be("{\"a\": 1}");
    }
}
