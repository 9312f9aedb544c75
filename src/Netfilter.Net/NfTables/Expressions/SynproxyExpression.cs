using System;
using System.Text;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// synproxy: answers TCP SYNs with SYN cookies and opens the connection to the server only after
/// the client's ACK. Debug text: <c>[ synproxy mss 1460 wscale 7 ]</c> (flags are not printed).
/// A named synproxy object is applied with <see cref="ObjrefExpression"/> instead.
/// </summary>
public sealed class SynproxyExpression : NftExpression
{
    /// <summary>
    /// A SYN proxy announcing <paramref name="mss"/> and <paramref name="windowScale"/>; nft sets
    /// <see cref="SynproxyFlags.Mss"/> and <see cref="SynproxyFlags.WindowScale"/> in
    /// <paramref name="flags"/> whenever it sends the values, plus timestamp and sack-perm when asked.
    /// </summary>
    public SynproxyExpression(ushort? mss, byte? windowScale, SynproxyFlags? flags)
    {
        Mss = mss;
        WindowScale = windowScale;
        Flags = flags;
    }

    /// <summary>NFTA_SYNPROXY_MSS, when present.</summary>
    public ushort? Mss { get; }

    /// <summary>NFTA_SYNPROXY_WSCALE, when present.</summary>
    public byte? WindowScale { get; }

    /// <summary>NFTA_SYNPROXY_FLAGS, when present.</summary>
    public SynproxyFlags? Flags { get; }

    /// <inheritdoc />
    public override string Name => "synproxy";

    internal override void EncodeData(NetlinkWriter writer) => SynproxyAttributes.Write(writer, Mss, WindowScale, Flags);

    internal static NftExpression? Decode(ReadOnlySpan<byte> data) =>
        SynproxyAttributes.TryRead(data, "synproxy", out ushort? mss, out byte? wscale, out SynproxyFlags? flags)
            ? new SynproxyExpression(mss, wscale, flags)
            : null;

    internal override void AppendDebugBody(StringBuilder builder) => SynproxyAttributes.AppendDebug(builder, Mss, WindowScale);
}
