using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.NfTables;

/// <summary>
/// Renders what the library decoded in libnftnl 1.2.4's notation, the text that
/// <c>nft --debug=netlink list ruleset</c> prints before its listing: for each table, its sets
/// with their elements, then its rules chain by chain, each expression as <c>  [ ... ]</c>.
/// Comparing the two line for line proves the decoding (FORMAT.md section 2.7, the list path).
/// </summary>
public static class NftDebugFormatter
{
    /// <summary>Renders a whole ruleset, table by table, as nft does.</summary>
    public static string Render(Ruleset ruleset)
    {
        ArgumentNullException.ThrowIfNull(ruleset);
        var sb = new StringBuilder();
        foreach (Table table in ruleset.Tables)
        {
            foreach (Set set in ruleset.Sets)
            {
                if (set.Family == table.Family && set.Table == table.Name)
                {
                    AppendSet(sb, set, ruleset.ElementsOf(set));
                }
            }
            foreach (Rule rule in ruleset.Rules)
            {
                if (rule.Family == table.Family && rule.Table == table.Name)
                {
                    AppendRule(sb, rule);
                }
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// A visitor that writes what it visits to <paramref name="output"/> in the same notation as
    /// <see cref="Render(Ruleset)"/>, part by part: with <see cref="NfTablesClient.ReadRulesetAsync"/>
    /// it prints <c>nft --debug=netlink list ruleset</c>'s text as the kernel dumps the ruleset,
    /// in memory that does not grow with it.
    /// </summary>
    public static RulesetVisitor CreateWriter(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return new DebugWriter(output);
    }

    private sealed class DebugWriter : RulesetVisitor
    {
        private readonly TextWriter _output;
        private readonly StringBuilder _text = new();

        public DebugWriter(TextWriter output) => _output = output;

        public override void VisitSet(Set set) => _text.Append(FamilyNames.Of(set.Family)).Append(' ').Append(set.Table).Append(" @").Append(set.Name).Append('\n');

        public override void VisitElement(Set set, SetElement element)
        {
            _text.Append('\t');
            AppendElement(_text, element);
            _text.Append('\n');
        }

        public override void VisitRule(Rule rule) => AppendRule(_text, rule);

        public override async ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            await _output.WriteAsync(_text, cancellationToken).ConfigureAwait(false);
            _text.Clear();
        }
    }

    /// <summary>One rule: the header line (<c>family table chain handle [position]</c>), its expressions, its userdata.</summary>
    public static string Render(Rule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var sb = new StringBuilder();
        AppendRule(sb, rule);
        return sb.ToString();
    }

    internal static void AppendRule(StringBuilder sb, Rule rule)
    {
        sb.Append(FamilyNames.Of(rule.Family)).Append(' ').Append(rule.Table).Append(' ').Append(rule.Chain);
        if (rule.Handle != 0)
        {
            sb.Append(' ').Append(rule.Handle.ToString(CultureInfo.InvariantCulture));
        }
        if (rule.Position is ulong position && position != 0)
        {
            sb.Append(' ').Append(position.ToString(CultureInfo.InvariantCulture));
        }
        foreach (NftExpression expression in rule.Expressions)
        {
            sb.Append("\n  ").Append(expression.ToString());
        }
        if (!rule.UserData.IsEmpty)
        {
            // libnftnl prints userdata as "\n  userdata = { ... }" and no extra newline.
            sb.Append("\n  userdata = { ");
            AppendEscaped(sb, rule.UserData.Span);
            sb.Append(" }");
        }
        else
        {
            sb.Append('\n');
        }
        // nft adds one newline after every rule.
        sb.Append('\n');
    }

    internal static void AppendSet(StringBuilder sb, Set set, IReadOnlyList<SetElement> elements)
    {
        sb.Append(FamilyNames.Of(set.Family)).Append(' ').Append(set.Table).Append(" @").Append(set.Name).Append('\n');
        foreach (SetElement element in elements)
        {
            sb.Append('\t');
            AppendElement(sb, element);
            sb.Append('\n');
        }
    }

    /// <summary>
    /// One element in libnftnl 1.2.4's grammar (nftnl_set_elem_snprintf_default):
    /// <c>element KEY[ - KEY_END] : DATA|VERDICT FLAGS [end][  userdata = { BYTES }]</c>, where
    /// KEY, KEY_END and DATA are 32-bit host-endian words, each followed by a blank (so two blanks
    /// come before " - " and " : "); a catch-all element has no key words. Timeouts, expirations,
    /// object names and element expressions are not printed.
    /// </summary>
    internal static void AppendElement(StringBuilder sb, SetElement element)
    {
        sb.Append("element ");
        element.Key.AppendDebug(sb, withPrefix: false);
        if (element.KeyEnd is not null)
        {
            sb.Append(" - ");
            element.KeyEnd.AppendDebug(sb, withPrefix: false);
        }
        sb.Append(" : ");
        if (element.Verdict is not null)
        {
            sb.Append(element.Verdict).Append(' ');
        }
        else if (element.Data is not null)
        {
            element.Data.AppendDebug(sb, withPrefix: false);
        }
        sb.Append(((uint)(element.Flags ?? SetElementFlags.None)).ToString(CultureInfo.InvariantCulture)).Append(" [end]");
        if (!element.UserData.IsEmpty)
        {
            sb.Append("  userdata = { ");
            AppendEscaped(sb, element.UserData.Span);
            sb.Append(" }");
        }
    }

    // libnftnl prints userdata bytes: printable ASCII as is, everything else as \xNN.
    private static void AppendEscaped(StringBuilder sb, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            if (b >= 0x20 && b < 0x7f)
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append("\\x").Append(b.ToString("x2", CultureInfo.InvariantCulture));
            }
        }
    }
}
