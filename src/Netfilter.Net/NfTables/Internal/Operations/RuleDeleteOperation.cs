using System;
using System.Collections.Generic;
using System.Globalization;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal.Attributes;

namespace Netfilter.Net.NfTables.Internal.Operations;

/// <summary>NFT_MSG_DELRULE / DESTROYRULE: one rule by handle, or every rule of a chain or table (flush).</summary>
internal sealed class RuleDeleteOperation : Operation
{
    private readonly NetfilterFamily _family;
    private readonly string _table;
    private readonly string? _chain;
    private readonly ulong _handle;
    private readonly byte _type;

    private RuleDeleteOperation(NetfilterFamily family, string table, string? chain, ulong handle, byte type)
    {
        _family = family;
        _table = table;
        _chain = chain;
        _handle = handle;
        _type = type;
    }

    public NetfilterFamily Family => _family;

    public string TableName => _table;

    /// <summary>Null: every chain of the table (flush table).</summary>
    public string? ChainName => _chain;

    /// <summary>0: every rule (flush).</summary>
    public ulong Handle => _handle;

    public bool IsDestroy => _type == NfTablesMessageType.DestroyRule;

    public static RuleDeleteOperation Delete(NetfilterFamily family, string table, string chain, ulong handle, bool destroy)
    {
        ObjectNames.Check(table, "table", nameof(table));
        ObjectNames.Check(chain, "chain", nameof(chain));
        if (handle == 0)
        {
            throw new ArgumentException("a rule is deleted by its handle, and 0 is not one (read it from NfTablesCommitResult.Handles or Rule.Handle)", nameof(handle));
        }
        return new RuleDeleteOperation(family, table, chain, handle, destroy ? NfTablesMessageType.DestroyRule : NfTablesMessageType.DelRule);
    }

    /// <summary>nft "flush chain" / "flush table": NFT_MSG_DELRULE without a handle.</summary>
    public static RuleDeleteOperation Flush(NetfilterFamily family, string table, string? chain) => new(family, table, chain, 0, NfTablesMessageType.DelRule);

    public override void Write(NfnetlinkBatch batch)
    {
        batch.BeginMessage(_type, NetlinkMessageFlags.None, _family, this);
        batch.Writer.WriteStringZ(RuleAttribute.Table, _table);
        if (_chain is not null)
        {
            batch.Writer.WriteStringZ(RuleAttribute.Chain, _chain);
        }
        if (_handle != 0)
        {
            batch.Writer.WriteUInt64BigEndian(RuleAttribute.Handle, _handle);
        }
        batch.EndMessage();
    }

    public override IEnumerable<KernelFeature> Features(int? expressionIndex) =>
        _type == NfTablesMessageType.DestroyRule ? new[] { KernelFeatures.Destroy } : Array.Empty<KernelFeature>();

    protected override string Describe()
    {
        string family = FamilyNames.Of(_family);
        if (_handle == 0)
        {
            return _chain is null ? $"flush table {family} {_table}" : $"flush chain {family} {_table} {_chain}";
        }
        string verb = _type == NfTablesMessageType.DestroyRule ? "destroy" : "delete";
        return $"{verb} rule {family} {_table} {_chain} handle {_handle.ToString(CultureInfo.InvariantCulture)}";
    }
}
