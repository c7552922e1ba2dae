namespace StateForge.Templating.Jinja;

/// <summary>Statements: text, output, if, for (with `if` filter and `else`), set, block set, break/continue.</summary>
internal sealed partial class ScribanEmitter
{
    private void EmitNodes(IReadOnlyList<Node> nodes)
    {
        foreach (var node in nodes)
        {
            EmitNode(node);
        }
    }

    private void EmitNode(Node node)
    {
        switch (node)
        {
            case TextNode text:
                // Text with braces goes through a string literal so Scriban never sees a stray `{`.
                if (text.Text.Contains('{', StringComparison.Ordinal) || text.Text.Contains('}', StringComparison.Ordinal))
                {
                    W("{{ ").W(Quote(text.Text)).W(" }}");
                }
                else
                {
                    W(text.Text);
                }

                break;
            case OutputNode output:
                W("{{ ");
                Anchor(output.Offset);
                W("__jout(");
                Value(output.Value);
                W(") }}");
                break;
            case IfNode branches:
                EmitIf(branches);
                break;
            case ForNode loop:
                EmitFor(loop);
                break;
            case SetNode set:
                EmitSet(set);
                break;
            case SetBlockNode block:
                var capture = NextId("__jc");
                W("{{ capture ").W(capture).W(" }}");
                EmitNodes(block.Body);
                W("{{ end }}{{ ");
                Anchor(block.Offset);
                W("__jset(").W(Quote(block.Target)).W(", ").W(capture).W(") }}");
                Shadow(block.Target);
                break;
            case LoopControlNode control:
                if (loops.Count == 0)
                {
                    throw new JinjaSyntaxException($"'{(control.IsBreak ? "break" : "continue")}' outside a for loop", control.Offset);
                }

                W(control.IsBreak ? "{{ break }}" : "{{ continue }}");
                break;
        }
    }

    private void EmitIf(IfNode node)
    {
        for (var i = 0; i < node.Branches.Count; i++)
        {
            var (condition, body) = node.Branches[i];
            W(i == 0 ? "{{ if " : "{{ else if ");
            Bool(condition);
            W(" }}");
            EmitNodes(body);
        }

        if (node.Else is not null)
        {
            W("{{ else }}");
            EmitNodes(node.Else);
        }

        W("{{ end }}");
    }

    private void EmitFor(ForNode node)
    {
        var items = Quote(NextId("__jl"));
        var item = NextId("__ji");
        W("{{ __jpush() }}{{ ");
        Anchor(node.Offset);
        W("__jset(").W(items).W(", __jiter(");
        Value(node.Iterable);
        W(")) }}");
        if (node.Condition is not null)
        {
            // Filter first, so loop.index, loop.last and `else` count only the items kept (as in Jinja).
            var filtered = Quote(NextId("__jl"));
            W("{{ __jset(").W(filtered).W(", __jlist()) }}{{ for ").W(item).W(" in __jvar(").W(items).W(") }}{{ if ");
            loops.Add(Bind(node.Targets, item));
            Bool(node.Condition);
            loops.RemoveAt(loops.Count - 1);
            W(" }}{{ __jappend(__jvar(").W(filtered).W("), ").W(item).W(") }}{{ end }}{{ end }}");
            items = filtered;
        }

        W("{{ for ").W(item).W(" in __jvar(").W(items).W(") }}");
        loops.Add(Bind(node.Targets, item));
        EmitNodes(node.Body);
        loops.RemoveAt(loops.Count - 1);
        W("{{ end }}");
        if (node.Else is not null)
        {
            W("{{ if !__jtruthy(__jvar(").W(items).W(")) }}");
            EmitNodes(node.Else);
            W("{{ end }}");
        }

        W("{{ __jpop() }}");
    }

    private static Dictionary<string, string?> Bind(IReadOnlyList<string> targets, string item)
    {
        var scope = new Dictionary<string, string?>(StringComparer.Ordinal) { ["loop"] = LoopMarker };
        if (targets.Count == 1)
        {
            scope[targets[0]] = item;
            return scope;
        }

        for (var i = 0; i < targets.Count; i++)
        {
            var path = Quote(targets[i]);
            scope[targets[i]] = $"__jitem({item}, {i}, {path})";
        }

        return scope;
    }

    private void EmitSet(SetNode set)
    {
        W("{{ ");
        Anchor(set.Offset);
        if (set.Attribute is null)
        {
            W("__jset(").W(Quote(set.Target)).W(", ");
            Value(set.Value);
            W(") }}");
            Shadow(set.Target);
            return;
        }

        W("__jsetattr(");
        Value(new Name(set.Target, set.Offset));
        W(", ").W(Quote(set.Attribute)).W(", ");
        Value(set.Value);
        W(") }}");
    }

    // After `{% set x %}` inside a loop, `x` is the set value, no longer the loop variable.
    private void Shadow(string name)
    {
        if (loops.Count > 0 && loops[^1].ContainsKey(name))
        {
            loops[^1][name] = null;
        }
    }
}
