using StateForge.Inventory.Hosts;
using StateForge.Inventory.Ini;

namespace StateForge.Tests.Inventory;

/// <summary>Host ranges, addresses with ports, and Python's float display.</summary>
public sealed class HostRangeTests
{
    [Theory]
    [InlineData("node[1:3]", "node1 node2 node3")]
    [InlineData("web[01:10]", "web01 web02 web03 web04 web05 web06 web07 web08 web09 web10")]
    [InlineData("db-[a:c]", "db-a db-b db-c")]
    [InlineData("x[1:10:2]", "x1 x3 x5 x7 x9")]
    [InlineData("x[:2]", "x0 x1 x2")]
    [InlineData("[y:B]", "y z A B")]
    [InlineData("r[1:2]n[a:b]", "r1na r1nb r2na r2nb")]
    [InlineData("x[3:1]", "")]
    [InlineData("x[a:e:2]", "xa xc xe")]
    public void Expand_Range_ListsTheHosts(string pattern, string expected)
    {
        HostRange.Expand(pattern).Should().Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Expand_HugeRange_IsRefused()
    {
        var act = () => HostRange.Expand("n[1:1000000]");

        act.Should().Throw<FormatException>().WithMessage("*more than 100000 hosts*");
    }

    [Theory]
    [InlineData("host", "host", null)]
    [InlineData("host:2222", "host", 2222)]
    [InlineData("10.0.0.1:22", "10.0.0.1", 22)]
    [InlineData("[::1]:2200", "::1", 2200)]
    [InlineData("fe80::1", "fe80::1", null)]
    [InlineData("web[1:3]:2201", "web[1:3]", 2201)]
    [InlineData("[web]:80", "web", 80)]
    [InlineData("a b:22", "a b:22", null)]
    [InlineData("host:port", "host:port", null)]
    public void Split_HostEntry_SeparatesThePort(string entry, string pattern, int? port)
    {
        HostAddress.Split(entry).Should().Be((pattern, port));
    }

    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(0.5, "0.5")]
    [InlineData(1000.0, "1000.0")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(1.5e-7, "1.5e-07")]
    [InlineData(-2.25, "-2.25")]
    [InlineData(0.0, "0.0")]
    [InlineData(123456789.125, "123456789.125")]
    [InlineData(double.PositiveInfinity, "inf")]
    public void Repr_Float_LooksLikePython(double value, string expected)
    {
        PythonFloat.Repr(value).Should().Be(expected);
    }
}
