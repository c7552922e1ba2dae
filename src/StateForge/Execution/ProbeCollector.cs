using StateForge.Facts;
using StateForge.Model;
using StateForge.Templating;
using StateForge.Validation;

namespace StateForge.Execution;

/// <summary>
/// Collects the facts a play's tasks will need on a host, so they are fetched in one batch.
/// A task whose arguments cannot be rendered yet (they name a registered result) is left to
/// fetch its facts when it runs.
/// </summary>
internal static class ProbeCollector
{
    public static IReadOnlyList<FactProbe> ForPlay(RunContext run, HostState host)
    {
        var play = run.Play!;
        var probes = new List<FactProbe>();
        foreach (var task in PlaybookLoader.Flatten(play.Tasks).Concat(play.Handlers).Where(t => !t.Module.RunsOnController))
        {
            var scope = ScopeBuilder.For(run, host, Frame.Root, task);
            try
            {
                var items = task.Loop is null ? [null] : run.Templates.Render(task.Loop, scope) as IList<object?> ?? [];
                foreach (var item in items)
                {
                    var itemScope = task.Loop is null ? scope : scope.With(new Dictionary<string, object?> { [task.LoopVar] = item });
                    if (run.Templates.Render(task.Args.ToPlain(), itemScope) is not IDictionary<string, object?> args)
                    {
                        continue;
                    }

                    var errors = new List<ConversionError>();
                    var parameters = ValueConverter.BindRecord(task.Module.ParametersType, args.AsReadOnly(), "", errors, lenient: false);
                    if (errors.Count == 0 && parameters is not null && !task.Module.Validate(parameters).Any())
                    {
                        probes.AddRange(task.Module.Probes(parameters));
                    }
                }
            }
            catch (TemplateException)
            {
                // Depends on something known only at run time; the task fetches its facts then.
            }
        }

        return probes;
    }

    /// <summary>After a command ran, what the rest of the play needs is read again, in one batch.</summary>
    public static IReadOnlyList<FactProbe> Remaining(RunContext run, HostState host) => ForPlay(run, host);
}
