using System;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Objects;

/// <summary>
/// A stateful object (NFT_MSG_NEWOBJ): a named counter, quota, limit, ct helper, ct timeout, ct
/// expectation, synproxy or secmark that lives in a table and that rules apply by name
/// (<see cref="Expressions.ObjrefExpression"/>). Each type has its own sealed subclass in this
/// folder; <see cref="UnknownObject"/> keeps any other type (connlimit, tunnel, newer ones) raw.
/// </summary>
/// <remarks>
/// <see cref="ToString"/> prints libnftnl 1.2.4's text for the object,
/// <c>table t name c1 use 0 [ counter pkts 1 bytes 2 ]</c> (what <c>nft --debug=netlink add counter</c> prints;
/// <c>nft --debug=netlink list ruleset</c> prints nothing for objects).
/// </remarks>
public abstract record NftObject
{
    private protected NftObject(NetfilterFamily family, string table, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Family = family;
        Table = table;
        Name = name;
    }

    /// <summary>The table's family.</summary>
    public NetfilterFamily Family { get; init; }

    /// <summary>NFTA_OBJ_TABLE.</summary>
    public string Table { get; init; }

    /// <summary>NFTA_OBJ_NAME, unique per type within the table.</summary>
    public string Name { get; init; }

    /// <summary>NFTA_OBJ_TYPE.</summary>
    public abstract NftObjectType Type { get; }

    /// <summary>NFTA_OBJ_HANDLE: kernel-assigned; 0 for an object not read from the kernel.</summary>
    public ulong Handle { get; init; }

    /// <summary>NFTA_OBJ_USE: how many rules and set elements refer to the object (read-only).</summary>
    public uint Use { get; init; }

    /// <summary>NFTA_OBJ_USERDATA, raw: nft keeps the comment here (type 0, NFTNL_UDATA_OBJ_COMMENT).</summary>
    public ReadOnlyMemory<byte> UserData { get; init; }

    /// <summary>The comment nft stores in the userdata, if any.</summary>
    public string? Comment => UserData.IsEmpty ? null : NfTables.UserData.ReadComment(UserData.Span);

    /// <summary>libnftnl's name of the type in its debug text (obj_ops.name), e.g. "counter", "ct_helper".</summary>
    internal abstract string DebugName { get; }

    /// <summary>Writes the attributes that go inside NFTA_OBJ_DATA.</summary>
    internal abstract void EncodeData(NetlinkWriter writer);

    /// <summary>Appends the body of libnftnl's debug text for the type.</summary>
    internal abstract void AppendDebugBody(StringBuilder builder);

    /// <summary>libnftnl's text: <c>table T name N use U [ type body]</c>.</summary>
    public sealed override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("table ").Append(Table).Append(" name ").Append(Name).Append(" use ").Append(Use).Append(" [ ").Append(DebugName).Append(' ');
        AppendDebugBody(sb);
        sb.Append(']');
        return sb.ToString();
    }

    /// <summary>The bracketed part of <see cref="ToString"/>: <c>[ counter pkts 1 bytes 2 ]</c>.</summary>
    internal string ToDebugBody()
    {
        var sb = new StringBuilder("[ ");
        sb.Append(DebugName).Append(' ');
        AppendDebugBody(sb);
        sb.Append(']');
        return sb.ToString();
    }
}
