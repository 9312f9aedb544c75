using System;
using System.Text;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables.Objects;

/// <summary>
/// Named SYN proxy settings (nft "synproxy NAME { mss 1460; wscale 7; timestamp sack-perm; }"),
/// applied by <c>synproxy name "NAME"</c>. Same attributes as <see cref="SynproxyExpression"/>.
/// </summary>
public sealed record SynproxyObject : NftObject
{
    /// <summary>
    /// Settings named <paramref name="name"/>. nft sets <see cref="SynproxyFlags.Mss"/> and
    /// <see cref="SynproxyFlags.WindowScale"/> in <paramref name="flags"/> whenever it sends the values.
    /// </summary>
    public SynproxyObject(NetfilterFamily family, string table, string name, ushort? mss = null, byte? windowScale = null, SynproxyFlags? flags = null)
        : base(family, table, name)
    {
        Mss = mss;
        WindowScale = windowScale;
        Flags = flags;
    }

    /// <inheritdoc />
    public override NftObjectType Type => NftObjectType.Synproxy;

    /// <summary>NFTA_SYNPROXY_MSS, when present.</summary>
    public ushort? Mss { get; init; }

    /// <summary>NFTA_SYNPROXY_WSCALE, when present.</summary>
    public byte? WindowScale { get; init; }

    /// <summary>NFTA_SYNPROXY_FLAGS, when present.</summary>
    public SynproxyFlags? Flags { get; init; }

    internal override string DebugName => "synproxy";

    internal override void EncodeData(NetlinkWriter writer) => SynproxyAttributes.Write(writer, Mss, WindowScale, Flags);

    internal static NftObject? Decode(NetfilterFamily family, string table, string name, ReadOnlySpan<byte> data) =>
        SynproxyAttributes.TryRead(data, "synproxy object", out ushort? mss, out byte? wscale, out SynproxyFlags? flags)
            ? new SynproxyObject(family, table, name, mss, wscale, flags)
            : null;

    internal override void AppendDebugBody(StringBuilder builder) => SynproxyAttributes.AppendDebug(builder, Mss, WindowScale);
}
