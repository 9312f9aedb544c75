using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Objects;

namespace Netfilter.Net.Cli.Rulesets;

/// <summary>
/// <c>nfnet ruleset show --format text</c>: a readable listing of our own, written as the ruleset
/// streams in (<see cref="NfTablesClient.ReadRulesetAsync"/>). Table by table: the objects, the
/// flowtables, the sets and maps with their elements written as values ("tcp . 2222 : 10.0.2.2 . 22"),
/// then the chains (hook, priority, policy) with their rules: handle, comment, and each
/// expression in libnftnl's notation, which names what the kernel really runs.
/// </summary>
/// <remarks>
/// The ruleset streams chains before objects, sets and rules (the order a transaction creates
/// them in), and this listing shows chains with their rules, last: a table's chain headers,
/// which are few, wait until its first rule or its end.
/// </remarks>
internal sealed class RulesetTextWriter : RulesetVisitor
{
    private readonly TextWriter _output;
    private readonly StringBuilder _text = new();
    private readonly Queue<Chain> _chains = new();
    private bool _anyTable;

    public RulesetTextWriter(TextWriter output) => _output = output;

    /// <summary>The listing of a ruleset held in memory.</summary>
    public static string Render(Ruleset ruleset)
    {
        // Nothing is flushed while a ruleset in memory is walked: the whole text is in the buffer.
        var writer = new RulesetTextWriter(TextWriter.Null);
        ruleset.Accept(writer);
        return writer._text.ToString();
    }

    public override void VisitTable(Table table)
    {
        _anyTable = true;
        _text.Append("table ").Append(FamilyName(table.Family)).Append(' ').Append(table.Name);
        if ((table.Flags & TableFlags.Dormant) != 0) _text.Append(" (dormant)");
        if ((table.Flags & TableFlags.Owner) != 0) _text.Append(" (owned by netlink port ").Append(table.Owner?.ToString(CultureInfo.InvariantCulture) ?? "?").Append(')');
        Comment(table.UserData.IsEmpty ? null : UserData.ReadComment(table.UserData.Span));
        _text.Append('\n');
    }

    public override void VisitChain(Chain chain) => _chains.Enqueue(chain);

    public override void VisitObject(NftObject obj)
    {
        // libnftnl's text of the object, without the "table T name N use U " it starts with.
        string debug = obj.ToString();
        int body = debug.IndexOf(" [ ", System.StringComparison.Ordinal);
        _text.Append("  object ").Append(obj.Name).Append(": ").Append(body >= 0 ? debug.Substring(body + 1) : debug);
        Comment(obj.Comment);
        _text.Append('\n');
    }

    public override void VisitFlowtable(Flowtable flowtable)
    {
        _text.Append("  flowtable ").Append(flowtable.Name).Append(": hook ingress priority ").Append((flowtable.Priority ?? 0).ToString(CultureInfo.InvariantCulture));
        if (flowtable.Devices is { Count: > 0 } devices) _text.Append(" devices ").Append(string.Join(',', devices));
        _text.Append('\n');
    }

    public override void VisitSet(Set set)
    {
        _text.Append("  ").Append(set.IsMap ? "map " : "set ").Append(set.Name).Append(": ").Append(SetDataFormatter.TypeName(set.KeyType));
        if (set.IsMap)
        {
            _text.Append(" : ").Append(set.DataType is uint dataType ? SetDataFormatter.TypeName(dataType) : "?");
        }
        var flags = new List<string>();
        if ((set.Flags & SetFlags.Anonymous) != 0) flags.Add("anonymous");
        if ((set.Flags & SetFlags.Constant) != 0) flags.Add("constant");
        if ((set.Flags & SetFlags.Interval) != 0) flags.Add("interval");
        if ((set.Flags & SetFlags.Timeout) != 0) flags.Add("timeout");
        if ((set.Flags & SetFlags.Eval) != 0) flags.Add("dynamic");
        if (flags.Count > 0) _text.Append(" [").Append(string.Join(", ", flags)).Append(']');
        Comment(set.Comment);
        _text.Append('\n');
    }

    public override void VisitElement(Set set, SetElement element)
    {
        _text.Append("    ");
        if (element.Flags is SetElementFlags catchAll && (catchAll & SetElementFlags.CatchAll) != 0)
        {
            _text.Append('*');
        }
        else
        {
            _text.Append(SetDataFormatter.Format(element.Key.Span, set.KeyType, set.ConcatFieldLengths));
            if (element.KeyEnd is not null)
            {
                _text.Append(" - ").Append(SetDataFormatter.Format(element.KeyEnd.Span, set.KeyType, set.ConcatFieldLengths));
            }
        }
        if (element.Verdict is Verdict verdict)
        {
            _text.Append(" : ").Append(VerdictName(verdict.Kind));
            if (verdict.Chain is not null) _text.Append(' ').Append(verdict.Chain);
        }
        else if (element.Data is not null)
        {
            _text.Append(" : ").Append(set.DataType is uint dataType ? SetDataFormatter.Format(element.Data.Span, dataType) : "0x" + element.Data);
        }
        else if (element.ObjectReference is not null)
        {
            _text.Append(" : \"").Append(element.ObjectReference).Append('"');
        }
        if (element.Flags is SetElementFlags end && (end & SetElementFlags.IntervalEnd) != 0) _text.Append(" (interval end)");
        if (element.Timeout is ulong timeout) _text.Append(" timeout ").Append(timeout.ToString(CultureInfo.InvariantCulture)).Append("ms");
        if (element.Expiration is ulong expiration) _text.Append(" expires ").Append(expiration.ToString(CultureInfo.InvariantCulture)).Append("ms");
        Comment(element.Comment);
        _text.Append('\n');
    }

    public override void VisitRule(Rule rule)
    {
        // The chain headers up to this rule's chain (rules come chain by chain, in chain order).
        while (_chains.TryPeek(out Chain? chain) && chain.Name != rule.Chain)
        {
            AppendChain(_chains.Dequeue());
        }
        if (_chains.TryDequeue(out Chain? own))
        {
            AppendChain(own);
        }
        _text.Append("    rule ").Append(rule.Handle.ToString(CultureInfo.InvariantCulture));
        Comment(rule.Comment);
        _text.Append('\n');
        foreach (NftExpression expression in rule.Expressions)
        {
            _text.Append("      ").Append(expression.ToString()).Append('\n');
        }
    }

    public override void EndTable(Table table)
    {
        while (_chains.TryDequeue(out Chain? chain))
        {
            AppendChain(chain);
        }
    }

    public override void EndRuleset()
    {
        if (!_anyTable)
        {
            _text.Append("(the ruleset is empty)\n");
        }
    }

    public override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await _output.WriteAsync(_text, cancellationToken).ConfigureAwait(false);
        _text.Clear();
    }

    private void AppendChain(Chain chain)
    {
        _text.Append("  chain ").Append(chain.Name);
        if (chain.Hook is ChainHook hook)
        {
            _text.Append(": ").Append(chain.Type ?? "filter").Append(" hook ").Append(NftNames.Hook(chain.Family, hook.HookNumber) ?? hook.HookNumber.ToString(CultureInfo.InvariantCulture));
            if (hook.Device is not null) _text.Append(" device ").Append(hook.Device);
            if (hook.Devices is { Count: > 0 } devices) _text.Append(" devices ").Append(string.Join(',', devices));
            _text.Append(" priority ").Append(hook.Priority.ToString(CultureInfo.InvariantCulture));
            if (chain.Policy is VerdictKind policy) _text.Append(" policy ").Append(VerdictName(policy));
        }
        Comment(chain.Comment);
        _text.Append('\n');
    }

    private void Comment(string? comment)
    {
        if (!string.IsNullOrEmpty(comment))
        {
            _text.Append("  # ").Append(comment);
        }
    }

    /// <summary>nft's name of the family, or its number where nft has none.</summary>
    private static string FamilyName(NetfilterFamily family) => NftNames.Family(family) ?? ((byte)family).ToString(CultureInfo.InvariantCulture);

    /// <summary>nft's name of the verdict, or its code where nft has none.</summary>
    private static string VerdictName(VerdictKind kind) => NftNames.Verdict(kind) ?? ((int)kind).ToString(CultureInfo.InvariantCulture);
}
