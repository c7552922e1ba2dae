using StateForge.Validation;

namespace StateForge.Tests.Validation;

public sealed class ValueConverterTests
{
    [Theory]
    [InlineData(5L)]
    [InlineData("5")]
    [InlineData(5.0)]
    public void Bind_IntegerParameter_KeepsItsValue(object given)
    {
        var errors = new List<ConversionError>();
        var bound = (TestFileParams)ValueConverter.BindRecord(typeof(TestFileParams), new Dictionary<string, object?> { ["path"] = "/x", ["count"] = given }, "", errors, lenient: false)!;
        errors.Should().BeEmpty();
        bound.Count.Should().Be(5);
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("False", false)]
    [InlineData("1", true)]
    [InlineData(true, true)]
    public void Bind_BooleanParameter_TakesAnsibleSpellings(object given, bool expected)
    {
        var errors = new List<ConversionError>();
        var bound = (TestFileParams)ValueConverter.BindRecord(typeof(TestFileParams), new Dictionary<string, object?> { ["path"] = "/x", ["force"] = given }, "", errors, lenient: false)!;
        errors.Should().BeEmpty();
        bound.Force.Should().Be(expected);
    }

    [Fact]
    public void Bind_OmittedParameter_KeepsItsDefault()
    {
        var errors = new List<ConversionError>();
        var bound = (TestFileParams)ValueConverter.BindRecord(typeof(TestFileParams), new Dictionary<string, object?>
        {
            ["path"] = "/x",
            ["state"] = StateForge.Templating.ScribanTemplateEngine.OmitPlaceholder,
        }, "", errors, lenient: false)!;
        errors.Should().BeEmpty();
        bound.State.Should().Be(TestState.Present);
    }
}
