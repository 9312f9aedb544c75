using System;
using System.Globalization;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal.Attributes;

namespace Netfilter.Net.NfTables.Internal.Operations;

/// <summary>NFT_MSG_DELRULE / DESTROYRULE: one rule by handle, or every rule of a chain or table (flush).</summary>
internal sealed class RuleDeleteOperation : Operation
{
    private static readonly Command DeleteCommand = new(NfTablesMessageType.DelRule, NetlinkMessageFlags.None, "delete");
    private static readonly Command DestroyCommand = Command.Destroying(NfTablesMessageType.DestroyRule);
    private static readonly Command FlushCommand = new(NfTablesMessageType.DelRule, NetlinkMessageFlags.None, "flush");

    private readonly NetfilterFamily _family;
    private readonly string _table;
    private readonly string? _chain;
    private readonly ulong _handle;

    private RuleDeleteOperation(NetfilterFamily family, string table, string? chain, ulong handle, Command command)
        : base(command)
    {
        _family = family;
        _table = table;
        _chain = chain;
        _handle = handle;
    }

    public NetfilterFamily Family => _family;

    public string TableName => _table;

    /// <summary>Null: every chain of the table (flush table).</summary>
    public string? ChainName => _chain;

    /// <summary>0: every rule (flush).</summary>
    public ulong Handle => _handle;

    public bool IsDestroy => Kind.IsDestroy;

    public static RuleDeleteOperation Delete(NetfilterFamily family, string table, string chain, ulong handle, bool destroy)
    {
        ObjectNames.Check(table, "table", nameof(table));
        ObjectNames.Check(chain, "chain", nameof(chain));
        if (handle == 0)
        {
            throw new ArgumentException("a rule is deleted by its handle, and 0 is not one (read it from NfTablesCommitResult.Handles or Rule.Handle)", nameof(handle));
        }
        return new RuleDeleteOperation(family, table, chain, handle, destroy ? DestroyCommand : DeleteCommand);
    }

    /// <summary>nft "flush chain" / "flush table": NFT_MSG_DELRULE without a handle.</summary>
    public static RuleDeleteOperation Flush(NetfilterFamily family, string table, string? chain) => new(family, table, chain, 0, FlushCommand);

    public override void Write(NfnetlinkBatch batch)
    {
        batch.BeginMessage(Kind.Type, Kind.Flags, _family, this);
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

    protected override string Describe()
    {
        string family = FamilyNames.Of(_family);
        if (_handle == 0)
        {
            return _chain is null ? $"{Kind.Verb} table {family} {_table}" : $"{Kind.Verb} chain {family} {_table} {_chain}";
        }
        return $"{Kind.Verb} rule {family} {_table} {_chain} handle {_handle.ToString(CultureInfo.InvariantCulture)}";
    }
}
