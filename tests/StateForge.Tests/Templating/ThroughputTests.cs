using System.Diagnostics;
using Xunit.Abstractions;

namespace StateForge.Tests.Templating;

/// <summary>A sanity run of a play's worth of parameters, compiled once (no timing assertion; the time is printed).</summary>
public sealed class ThroughputTests(ITestOutputHelper output) : TemplateTestBase
{
    [Fact]
    public void Render_20ParamsBy20TasksBy50Hosts_GivesEveryHostItsOwnValues()
    {
        var templates = Enumerable.Range(0, 20).SelectMany(task => new[]
        {
            "plain value {0}", "{{ name }}-" + task, "{{ port + " + task + " }}", "{{ packages | unique | join(',') }}",
            "{{ missing | default('d') }}", "{{ hostvars[inventory_hostname].x }}", "/srv/{{ name }}/{{ inventory_hostname }}.conf",
            "{{ users | selectattr('admin') | map(attribute='name') | list }}", "{{ 'on' if enabled else 'off' }}", "{{ config.nested.deep | upper }}",
            "{{ ansible_facts.os_family == 'Debian' }}", "{{ (port | string) ~ '/tcp' }}", "{{ numbers | sort | first }}",
            "{{ path | basename }}", "mode-0644", "{{ text | trim }}", "{{ enabled | bool }}", "{{ ratio * 2 }}",
            "{{ config | dict2items | length }}", "{{ inventory_hostname }}",
        }).ToList();
        var hosts = Enumerable.Range(0, 50).Select(h =>
        {
            var v = Vars();
            v["inventory_hostname"] = "host" + h;
            v["hostvars"] = new Dictionary<string, object?> { ["host" + h] = new Dictionary<string, object?> { ["x"] = (long)h } };
            return v;
        }).ToList();

        foreach (var template in templates)
        {
            Engine.Render(template, hosts[0]);
        }

        var watch = Stopwatch.StartNew();
        long checksum = 0;
        foreach (var host in hosts)
        {
            foreach (var template in templates)
            {
                checksum += Engine.Render(template, host)?.ToString()?.Length ?? 0;
            }

            Engine.Render("{{ hostvars[inventory_hostname].x }}", host).Should().Be(long.Parse(((string)host["inventory_hostname"]!)[4..], System.Globalization.CultureInfo.InvariantCulture));
        }

        output.WriteLine($"{hosts.Count * templates.Count} renders in {watch.ElapsedMilliseconds} ms (checksum {checksum})");
        checksum.Should().BePositive();
    }
}
