using System;
using System.Text;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.NfTables.Internal;

/// <summary>
/// The synproxy attributes (uapi nf_tables.h, enum nft_synproxy_attributes), shared by the
/// synproxy expression and the synproxy object:
/// <code>
/// NFTA_SYNPROXY_MSS be16, NFTA_SYNPROXY_WSCALE u8, NFTA_SYNPROXY_FLAGS be32 (NF_SYNPROXY_OPT_*)
/// </code>
/// </summary>
internal static class SynproxyAttributes
{
    private const ushort Mss = 1;    // NFTA_SYNPROXY_MSS
    private const ushort Wscale = 2; // NFTA_SYNPROXY_WSCALE
    private const ushort Flags = 3;  // NFTA_SYNPROXY_FLAGS

    /// <summary>libnftnl build order: MSS, WSCALE, FLAGS; each only when present.</summary>
    public static void Write(NetlinkWriter writer, ushort? mss, byte? wscale, SynproxyFlags? flags)
    {
        if (mss is ushort m) writer.WriteUInt16BigEndian(Mss, m);
        if (wscale is byte w) writer.WriteUInt8(Wscale, w);
        if (flags is SynproxyFlags f) writer.WriteUInt32BigEndian(Flags, (uint)f);
    }

    /// <summary>Reads the attributes; false when one is not a synproxy attribute (the caller keeps the data raw).</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, string context, out ushort? mss, out byte? wscale, out SynproxyFlags? flags)
    {
        mss = null;
        wscale = null;
        flags = null;
        var reader = new NetlinkAttributeReader(data, context);
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case Mss: mss = a.GetUInt16BigEndian(); break;
                case Wscale: wscale = a.GetUInt8(); break;
                case Flags: flags = (SynproxyFlags)a.GetUInt32BigEndian(); break;
                default: return false;
            }
        }
        return true;
    }

    /// <summary>libnftnl (expr and obj) synproxy snprintf: "mss M wscale W " only when both are present.</summary>
    public static void AppendDebug(StringBuilder builder, ushort? mss, byte? wscale)
    {
        if (mss is ushort m && wscale is byte w)
        {
            builder.Append("mss ").Append(m).Append(" wscale ").Append(w).Append(' ');
        }
    }
}
