using System;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Objects;

/// <summary>
/// An object of a type this library does not model (connlimit, tunnel, newer ones), or one with an
/// attribute it does not know: the type number and the raw NFTA_OBJ_DATA payload, written back
/// byte for byte.
/// </summary>
public sealed record UnknownObject : NftObject
{
    private readonly byte[] _data;

    /// <summary>Keeps <paramref name="data"/> (the NFTA_OBJ_DATA payload) of an object of <paramref name="type"/>.</summary>
    public UnknownObject(NetfilterFamily family, string table, string name, NftObjectType type, ReadOnlySpan<byte> data)
        : base(family, table, name)
    {
        Type = type;
        _data = data.ToArray();
    }

    /// <summary>The type number as the kernel sent it.</summary>
    public override NftObjectType Type { get; }

    /// <summary>The raw attributes inside NFTA_OBJ_DATA.</summary>
    public ReadOnlyMemory<byte> Data => _data;

    internal override string DebugName => "unknown";

    internal override void EncodeData(NetlinkWriter writer) => writer.WriteRaw(_data);

    // libnftnl has no ops for such a type and nft skips it; say plainly what is there.
    internal override void AppendDebugBody(StringBuilder builder) =>
        builder.Append("type ").Append((uint)Type).Append(' ').Append(_data.Length).Append(" bytes ");
}
