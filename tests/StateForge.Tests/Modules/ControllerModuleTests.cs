using System.Collections.Immutable;
using StateForge.Facts;
using StateForge.Modules;
using StateForge.Modules.Controller;
using StateForge.Planning;
using StateForge.Templating;

namespace StateForge.Tests.Modules;

/// <summary>debug, assert, set_fact and fail: controller-side modules that are mostly expressions.</summary>
public sealed class ControllerModuleTests
{
    private static readonly ScribanTemplateEngine Engine = new();

    private static PlanContext Context() => new()
    {
        Host = "web1",
        Facts = new HostFacts((_, _) => throw new InvalidOperationException("controller modules never probe the host")),
        CheckMode = false,
        Variables = new Dictionary<string, object?>
        {
            ["port"] = 8080L,
            ["env"] = "prod",
            ["result"] = new Dictionary<string, object?> { ["stdout_lines"] = new List<object?> { "a", "b" } },
        },
        Templates = Engine,
    };

    private static TaskPlan Plan<TParams>(Module<TParams> module, TParams parameters)
        where TParams : class, new() =>
        ((IModule)module).PlanAsync(parameters, Context(), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    [Fact]
    public void ControllerModules_RunOnTheController()
    {
        new IModule[] { new DebugModule(), new AssertModule(), new SetFactModule(), new FailModule() }
            .Should().OnlyContain(m => m.RunsOnController);
    }

    [Fact]
    public void Debug_Msg_IsTheResult()
    {
        var plan = Plan(new DebugModule(), new DebugParams { Msg = "port 8080" });
        plan.Result["msg"].Should().Be("port 8080");
        plan.Changed.Should().BeFalse();
        Plan(new DebugModule(), new DebugParams()).Result["msg"].Should().Be("Hello world!");
    }

    [Fact]
    public void Debug_Var_ShowsTheValueUnderItsName()
    {
        Plan(new DebugModule(), new DebugParams { Var = "result.stdout_lines" }).Result["result.stdout_lines"]
            .Should().BeEquivalentTo(new List<object?> { "a", "b" });
        Plan(new DebugModule(), new DebugParams { Var = "nope" }).Result["nope"].Should().Be(DebugModule.NotDefined);
    }

    [Fact]
    public void Assert_AllHold_Succeeds()
    {
        var plan = Plan(new AssertModule(), new AssertParams { That = new List<object?> { "port > 1024", "env in ['dev', 'prod']" }, SuccessMsg = "fine" });
        plan.Failed.Should().BeFalse();
        plan.Result["msg"].Should().Be("fine");
    }

    [Fact]
    public void Assert_FirstFailure_IsNamed()
    {
        var plan = Plan(new AssertModule(), new AssertParams { That = new List<object?> { "port > 1024", "env == 'dev'", "missing" } });
        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be("Assertion failed");
        plan.Result["assertion"].Should().Be("env == 'dev'");
        plan.Result["evaluated_to"].Should().Be(false);
    }

    [Fact]
    public void Assert_SingleStringWithCommas_IsOneCondition()
    {
        Plan(new AssertModule(), new AssertParams { That = "port in [80, 8080]", FailMsg = "bad port" }).Failed.Should().BeFalse();
        var plan = Plan(new AssertModule(), new AssertParams { That = "port in [80, 443]", FailMsg = "bad port" });
        plan.Message.Should().Be("bad port");
    }

    [Fact]
    public void Assert_UndefinedVariable_FailsWithTheError()
    {
        var plan = Plan(new AssertModule(), new AssertParams { That = "nope == 1" });
        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be("The conditional check 'nope == 1' failed. The error was: 'nope' is undefined");
    }

    [Fact]
    public void SetFact_ReturnsAnsibleFacts()
    {
        var values = ImmutableDictionary<string, object?>.Empty.Add("app_port", 8081L).Add("hosts", new List<object?> { "a" });
        var plan = Plan(new SetFactModule(), new SetFactParams { Values = values, Cacheable = true });
        plan.Result["ansible_facts"].Should().BeAssignableTo<IDictionary<string, object?>>().Which.Should().BeEquivalentTo(values);
        plan.Changed.Should().BeFalse();
    }

    [Fact]
    public void SetFact_Validate_RefusesNothingAndBadNames()
    {
        ((IModule)new SetFactModule()).Validate(new SetFactParams()).Should().ContainSingle().Which.Should().StartWith("No key/value pairs");
        ((IModule)new SetFactModule()).Validate(new SetFactParams { Values = ImmutableDictionary<string, object?>.Empty.Add("bad-name", 1L) })
            .Should().ContainSingle().Which.Should().Contain("'bad-name' is not valid");
    }

    [Fact]
    public void SetFact_Parameters_AreFreeForm()
    {
        var schema = ParameterSchema.For(typeof(SetFactParams));
        schema.FreeForm!.Name.Should().Be("values");
        schema.ByName.Should().ContainKey("cacheable");
    }

    [Fact]
    public void Fail_FailsWithTheMessage()
    {
        var plan = Plan(new FailModule(), new FailParams { Msg = "unsupported" });
        plan.Failed.Should().BeTrue();
        plan.Message.Should().Be("unsupported");
        Plan(new FailModule(), new FailParams()).Message.Should().Be("Failed as requested from task");
    }

    [Fact]
    public void EveryModule_DocumentsEveryParameter()
    {
        foreach (var type in new[] { typeof(DebugParams), typeof(AssertParams), typeof(SetFactParams), typeof(FailParams), typeof(StateForge.Modules.Host.TemplateParams) })
        {
            ParameterSchema.For(type).Parameters.Should().OnlyContain(p => p.Doc.Description.Length > 10, type.Name);
        }

        foreach (var m in new IModule[] { new DebugModule(), new AssertModule(), new SetFactModule(), new FailModule(), new StateForge.Modules.Host.TemplateModule() })
        {
            m.Examples.Should().Contain("- name:");
            ModuleCatalog.BuiltIn.Find(m.Info.Name).Should().NotBeNull();
            ModuleCatalog.BuiltIn.Find(m.Info.Aliases[0]).Should().NotBeNull();
        }
    }
}
