using System;
using System.Collections.Generic;
using System.Globalization;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Internal.Operations;

/// <summary>NFT_MSG_NEWRULE: add (append or after a handle), insert (head or before a handle), replace.</summary>
internal sealed class RuleOperation : Operation
{
    public static readonly Command Add = new(NfTablesMessageType.NewRule, NetlinkMessageFlags.Create | NetlinkMessageFlags.Append, "add");
    public static readonly Command Insert = new(NfTablesMessageType.NewRule, NetlinkMessageFlags.Create, "insert");
    public static readonly Command Replace = new(NfTablesMessageType.NewRule, NetlinkMessageFlags.Replace, "replace");

    private readonly Rule _rule;
    private readonly bool _echo;

    public RuleOperation(Rule rule, Command command, bool echo = true)
        : base(command)
    {
        _echo = echo;
        ArgumentNullException.ThrowIfNull(rule);
        ObjectNames.Check(rule.Table, "table", nameof(rule));
        ObjectNames.Check(rule.Chain, "chain", nameof(rule));
        UserDataLimit.Check(rule.UserData, "rule", nameof(rule));
        if (command.Flags.HasFlag(NetlinkMessageFlags.Replace))
        {
            if (rule.Handle == 0)
            {
                throw new ArgumentException("replacing a rule needs the handle of the rule to replace (Rule.Handle)", nameof(rule));
            }
        }
        else if (rule.Handle != 0)
        {
            // nf_tables_newrule answers a handle without NLM_F_REPLACE with EOPNOTSUPP.
            throw new ArgumentException($"a rule to {command.Verb} must not carry a handle (it has {rule.Handle}): the kernel assigns one. Use ReplaceRule to replace that rule, or 'rule with {{ Handle = 0 }}' to add a copy", nameof(rule));
        }
        _rule = rule;
    }

    public Rule Rule => _rule;

    public override bool EchoesHandle => _echo;

    public override void Write(NfnetlinkBatch batch)
    {
        // NLM_F_ECHO: the kernel sends the new rule back, with its handle (nft does this only with --echo).
        batch.BeginMessage(Kind.Type, _echo ? Kind.Flags | NetlinkMessageFlags.Echo : Kind.Flags, _rule.Family, this);
        RuleCodec.Write(batch.Writer, _rule);
        batch.EndMessage();
    }

    public override int? ExpressionAt(uint offset)
    {
        // Re-encode the message the same way to find where each expression started; only
        // done for a refused rule, so committing stays free of per-expression bookkeeping.
        using var writer = new NetlinkWriter(1024);
        NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.NfTables, Kind.Type, Kind.Flags, 0, _rule.Family);
        var offsets = new List<int>(_rule.Expressions.Count);
        RuleCodec.Write(writer, _rule, offsets, 0);
        writer.EndMessage();
        if (offsets.Count == 0 || offset < offsets[0])
        {
            return null;
        }
        // The NFTA_RULE_EXPRESSIONS header sits right before the first element; past its end
        // (NFTA_RULE_USERDATA, ...) the offset names no expression.
        int listStart = offsets[0] - NetlinkAlignment.AttributeHeaderLength;
        int listEnd = listStart + HostOrder.ReadUInt16(writer.WrittenSpan.Slice(listStart));
        if (offset >= listEnd)
        {
            return null;
        }
        int found = 0;
        for (int i = 1; i < offsets.Count && offsets[i] <= offset; i++)
        {
            found = i;
        }
        return found;
    }

    public override string? ExpressionName(int index) => index >= 0 && index < _rule.Expressions.Count ? _rule.Expressions[index].Name : null;

    public override KernelFeature? MissingFeature(Errno errno, uint? offset, int? expressionIndex, Version kernel) =>
        base.MissingFeature(errno, offset, expressionIndex, kernel)
        // ENOENT at an expression that names nothing else: the kernel has no such expression type.
        ?? (errno == Errno.ENOENT && expressionIndex is int i && i < _rule.Expressions.Count
            && _rule.Expressions[i].RequiredFeature is { AbsentTypeIsEnoent: true } missing ? missing : null);

    public override IEnumerable<KernelFeature> Features(int? expressionIndex)
    {
        foreach (KernelFeature feature in base.Features(expressionIndex))
        {
            yield return feature;
        }
        for (int i = 0; i < _rule.Expressions.Count; i++)
        {
            if ((expressionIndex is null || expressionIndex == i) && _rule.Expressions[i].RequiredFeature is KernelFeature feature)
            {
                yield return feature;
            }
        }
    }

    protected override string Describe()
    {
        string text = $"{Kind.Verb} rule {FamilyNames.Of(_rule.Family)} {_rule.Table} {_rule.Chain}";
        if (_rule.Handle != 0)
        {
            text += " handle " + _rule.Handle.ToString(CultureInfo.InvariantCulture);
        }
        if (_rule.Position is ulong position)
        {
            text += " position " + position.ToString(CultureInfo.InvariantCulture);
        }
        return text;
    }
}
