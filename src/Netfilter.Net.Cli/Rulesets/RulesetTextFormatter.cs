using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Objects;

namespace Netfilter.Net.Cli.Rulesets;

/// <summary>
/// <c>nfnet ruleset show --format text</c>: a readable listing of our own. Table by table, the
/// sets and maps with their elements written as values ("tcp . 2222 : 10.0.2.2 . 22"), then the
/// chains (hook, priority, policy) with their rules: handle, comment, and each expression in
/// libnftnl's notation, which names what the kernel really runs.
/// </summary>
internal static class RulesetTextFormatter
{
    public static string Render(Ruleset ruleset)
    {
        var sb = new StringBuilder();
        if (ruleset.Tables.Count == 0)
        {
            sb.Append("(the ruleset is empty)\n");
            return sb.ToString();
        }
        foreach (Table table in ruleset.Tables)
        {
            sb.Append("table ").Append(NftNames.Family(table.Family)).Append(' ').Append(table.Name);
            if ((table.Flags & TableFlags.Dormant) != 0) sb.Append(" (dormant)");
            if ((table.Flags & TableFlags.Owner) != 0) sb.Append(" (owned by netlink port ").Append(table.Owner?.ToString(CultureInfo.InvariantCulture) ?? "?").Append(')');
            Comment(sb, table.UserData.IsEmpty ? null : UserData.ReadComment(table.UserData.Span));
            sb.Append('\n');
            foreach (NftObject obj in ruleset.Objects)
            {
                if (obj.Family == table.Family && obj.Table == table.Name)
                {
                    sb.Append("  object ").Append(obj.Name).Append(": ").Append(obj.ToDebugBody());
                    Comment(sb, obj.Comment);
                    sb.Append('\n');
                }
            }
            foreach (Flowtable flowtable in ruleset.Flowtables)
            {
                if (flowtable.Family == table.Family && flowtable.Table == table.Name)
                {
                    sb.Append("  flowtable ").Append(flowtable.Name).Append(": hook ingress priority ").Append((flowtable.Priority ?? 0).ToString(CultureInfo.InvariantCulture));
                    if (flowtable.Devices is { Count: > 0 } devices) sb.Append(" devices ").Append(string.Join(',', devices));
                    sb.Append('\n');
                }
            }
            foreach (Set set in ruleset.Sets)
            {
                if (set.Family == table.Family && set.Table == table.Name)
                {
                    AppendSet(sb, set, ruleset.ElementsOf(set));
                }
            }
            foreach (Chain chain in ruleset.Chains)
            {
                if (chain.Family == table.Family && chain.Table == table.Name)
                {
                    AppendChain(sb, chain, ruleset.Rules);
                }
            }
        }
        return sb.ToString();
    }

    private static void AppendSet(StringBuilder sb, Set set, IReadOnlyList<SetElement> elements)
    {
        sb.Append("  ").Append(set.IsMap ? "map " : "set ").Append(set.Name).Append(": ").Append(SetDataFormatter.TypeName(set.KeyType));
        if (set.IsMap)
        {
            sb.Append(" : ").Append(set.DataType is uint dataType ? SetDataFormatter.TypeName(dataType) : "?");
        }
        var flags = new List<string>();
        if ((set.Flags & SetFlags.Anonymous) != 0) flags.Add("anonymous");
        if ((set.Flags & SetFlags.Constant) != 0) flags.Add("constant");
        if ((set.Flags & SetFlags.Interval) != 0) flags.Add("interval");
        if ((set.Flags & SetFlags.Timeout) != 0) flags.Add("timeout");
        if ((set.Flags & SetFlags.Eval) != 0) flags.Add("dynamic");
        if (flags.Count > 0) sb.Append(" [").Append(string.Join(", ", flags)).Append(']');
        sb.Append(" (").Append(elements.Count.ToString(CultureInfo.InvariantCulture)).Append(elements.Count == 1 ? " element)" : " elements)");
        Comment(sb, set.Comment);
        sb.Append('\n');
        foreach (SetElement element in elements)
        {
            sb.Append("    ");
            if (element.Flags is SetElementFlags catchAll && (catchAll & SetElementFlags.CatchAll) != 0)
            {
                sb.Append('*');
            }
            else
            {
                sb.Append(SetDataFormatter.Format(element.Key.Span, set.KeyType, set.ConcatFieldLengths));
                if (element.KeyEnd is not null)
                {
                    sb.Append(" - ").Append(SetDataFormatter.Format(element.KeyEnd.Span, set.KeyType, set.ConcatFieldLengths));
                }
            }
            if (element.Verdict is Verdict verdict)
            {
                sb.Append(" : ").Append(NftNames.Verdict(verdict.Kind));
                if (verdict.Chain is not null) sb.Append(' ').Append(verdict.Chain);
            }
            else if (element.Data is not null)
            {
                sb.Append(" : ").Append(set.DataType is uint dataType ? SetDataFormatter.Format(element.Data.Span, dataType) : "0x" + element.Data);
            }
            else if (element.ObjectReference is not null)
            {
                sb.Append(" : \"").Append(element.ObjectReference).Append('"');
            }
            if (element.Flags is SetElementFlags end && (end & SetElementFlags.IntervalEnd) != 0) sb.Append(" (interval end)");
            if (element.Timeout is ulong timeout) sb.Append(" timeout ").Append(timeout.ToString(CultureInfo.InvariantCulture)).Append("ms");
            Comment(sb, element.Comment);
            sb.Append('\n');
        }
    }

    private static void AppendChain(StringBuilder sb, Chain chain, IReadOnlyList<Rule> rules)
    {
        sb.Append("  chain ").Append(chain.Name);
        if (chain.Hook is ChainHook hook)
        {
            sb.Append(": ").Append(chain.Type ?? "filter").Append(" hook ").Append(NftNames.Hook(chain.Family, hook.HookNumber) ?? hook.HookNumber.ToString(CultureInfo.InvariantCulture));
            if (hook.Device is not null) sb.Append(" device ").Append(hook.Device);
            if (hook.Devices is { Count: > 0 } devices) sb.Append(" devices ").Append(string.Join(',', devices));
            sb.Append(" priority ").Append(hook.Priority.ToString(CultureInfo.InvariantCulture));
            if (chain.Policy is VerdictKind policy) sb.Append(" policy ").Append(NftNames.Verdict(policy));
        }
        Comment(sb, chain.Comment);
        sb.Append('\n');
        foreach (Rule rule in rules)
        {
            if (rule.Family != chain.Family || rule.Table != chain.Table || rule.Chain != chain.Name)
            {
                continue;
            }
            sb.Append("    rule ").Append(rule.Handle.ToString(CultureInfo.InvariantCulture));
            Comment(sb, rule.Comment);
            sb.Append('\n');
            foreach (NftExpression expression in rule.Expressions)
            {
                sb.Append("      ").Append(expression.ToString()).Append('\n');
            }
        }
    }

    private static void Comment(StringBuilder sb, string? comment)
    {
        if (!string.IsNullOrEmpty(comment))
        {
            sb.Append("  # ").Append(comment);
        }
    }
}
