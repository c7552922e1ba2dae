using StateForge.Templating.Runtime;

namespace StateForge.Templating.Jinja;

/// <summary>`and`/`or` with Python's values, comparisons, filters, tests and calls.</summary>
internal sealed partial class ScribanEmitter
{
    // `a or b` is a if a is truthy, else b; `a and b` is b if a is truthy, else a. Chains are
    // folded to the right so each operand is written at most twice.
    private void EmitLogical(Binary logical)
    {
        var operands = new List<Expr>();
        Flatten(logical, logical.Operator, operands);
        EmitChain(operands, 0, logical.Operator == "or");
    }

    private static void Flatten(Expr e, string op, List<Expr> into)
    {
        if (e is Binary b && b.Operator == op)
        {
            Flatten(b.Left, op, into);
            Flatten(b.Right, op, into);
        }
        else
        {
            into.Add(e);
        }
    }

    private void EmitChain(List<Expr> operands, int i, bool isOr)
    {
        if (i == operands.Count - 1)
        {
            Value(operands[i]);
            return;
        }

        W("(__jtruthy(");
        var start = sb.Length;
        Value(operands[i]);
        var end = sb.Length;
        W(") ? ");
        if (isOr)
        {
            Repeat(start, end);
            W(" : ");
            EmitChain(operands, i + 1, isOr);
        }
        else
        {
            EmitChain(operands, i + 1, isOr);
            W(" : ");
            Repeat(start, end);
        }

        W(")");
    }

    private void EmitCompare(Compare compare)
    {
        W(compare.Rest.Count > 1 ? "(" : "");
        var left = compare.First;
        for (var i = 0; i < compare.Rest.Count; i++)
        {
            var (op, right) = compare.Rest[i];
            W(i == 0 ? "" : " && ");
            W(op switch
            {
                "==" => "__jeq(",
                "!=" => "__jne(",
                "<" => "__jlt(",
                "<=" => "__jle(",
                ">" => "__jgt(",
                ">=" => "__jge(",
                "in" => "__jin(",
                _ => "!__jin(",
            });
            Value(left);
            W(", ");
            Value(right);
            W(")");
            left = right;
        }

        W(compare.Rest.Count > 1 ? ")" : "");
    }

    private void EmitFilter(Filter filter)
    {
        if (!FunctionTable.Has(FunctionTable.FilterPrefix, filter.FilterName))
        {
            throw new JinjaSyntaxException($"no filter named '{filter.FilterName}'", filter.Offset);
        }

        var lenient = LenientFilters.Contains(filter.FilterName);
        W(FunctionTable.FilterPrefix).W(filter.FilterName).W("(");
        Value(filter.Subject, lenient);

        // default(x): x may itself be undefined and caught by a later default.
        Arguments(filter.Args, lenient);
        W(")");
    }

    private void EmitTest(Test test)
    {
        if (!FunctionTable.Has(FunctionTable.TestPrefix, test.TestName))
        {
            throw new JinjaSyntaxException($"no test named '{test.TestName}'", test.Offset);
        }

        W(test.Negated ? "!" : "").W(FunctionTable.TestPrefix).W(test.TestName).W("(");
        Value(test.Subject, LenientTests.Contains(test.TestName));
        Arguments(test.Args, lenient: false);
        W(")");
    }

    private void EmitCall(Call call)
    {
        switch (call.Callee)
        {
            case GetAttr method when FunctionTable.Has(FunctionTable.MethodPrefix, method.Attribute):
                W(FunctionTable.MethodPrefix).W(method.Attribute).W("(");
                Value(method.Target);
                Arguments(call.Args, lenient: false);
                W(")");
                break;
            case GetAttr method:
                throw new JinjaSyntaxException($"no method named '{method.Attribute}'", method.Offset);
            case Name name when Resolve(name.Identifier) is null && FunctionTable.Has(FunctionTable.GlobalPrefix, name.Identifier):
                W(FunctionTable.GlobalPrefix).W(name.Identifier).W("(");
                Arguments(call.Args, lenient: false, first: true);
                W(")");
                break;
            case Name name:
                throw new JinjaSyntaxException($"'{name.Identifier}' is not a function (functions: {string.Join(", ", FunctionTable.Names(FunctionTable.GlobalPrefix))})", name.Offset);
            default:
                throw new JinjaSyntaxException("this expression cannot be called", call.Offset);
        }
    }

    private void Arguments(Arguments args, bool lenient, bool first = false)
    {
        foreach (var arg in args.Positional)
        {
            W(first ? "" : ", ");
            first = false;
            Value(arg, lenient);
        }

        if (args.Keywords.Count == 0)
        {
            return;
        }

        W(first ? "__jkw(" : ", __jkw(");
        for (var i = 0; i < args.Keywords.Count; i++)
        {
            W(i == 0 ? "" : ", ").W(Quote(args.Keywords[i].Name)).W(", ");
            Value(args.Keywords[i].Value, lenient);
        }

        W(")");
    }
}
