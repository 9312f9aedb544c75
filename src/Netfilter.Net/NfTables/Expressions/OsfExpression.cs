using System;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// osf: passive OS fingerprinting of TCP SYNs; loads the OS name (16 bytes, NUL-padded) into a
/// register. Debug text: <c>[ osf dreg 1 ]</c> (libnftnl prints neither the TTL mode nor the flags).
/// </summary>
public sealed class OsfExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_osf_attributes
    private const ushort AttrDreg = 1;  // NFTA_OSF_DREG
    private const ushort AttrTtl = 2;   // NFTA_OSF_TTL (u8)
    private const ushort AttrFlags = 3; // NFTA_OSF_FLAGS

    /// <summary>
    /// Loads the fingerprinted OS into <paramref name="destination"/>. <paramref name="ttl"/> is the
    /// TTL check (nfnetlink_osf.h: NF_OSF_TTL_TRUE 0, the default; NF_OSF_TTL_LESS 1, nft "ttl loose";
    /// NF_OSF_TTL_NOCHECK 2, nft "ttl skip"); <paramref name="flags"/> is sent only when set (nft "osf version").
    /// </summary>
    public OsfExpression(Register destination, byte? ttl = 0, OsfFlags? flags = null)
    {
        Destination = destination;
        Ttl = ttl;
        Flags = flags == OsfFlags.None ? null : flags;
    }

    private OsfExpression(Register destination, byte? ttl, OsfFlags? flags, bool _)
    {
        Destination = destination;
        Ttl = ttl;
        Flags = flags;
    }

    /// <summary>NFTA_OSF_DREG.</summary>
    public Register Destination { get; }

    /// <summary>NFTA_OSF_TTL (NF_OSF_TTL_TRUE 0, _LESS 1, _NOCHECK 2), when present.</summary>
    public byte? Ttl { get; }

    /// <summary>NFTA_OSF_FLAGS, when present (sent only when nonzero: the kernel refuses 0).</summary>
    public OsfFlags? Flags { get; }

    /// <inheritdoc />
    public override string Name => "osf";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_expr_osf_build order: DREG, TTL, FLAGS.
        writer.WriteUInt32BigEndian(AttrDreg, Destination.Raw);
        if (Ttl is byte t) writer.WriteUInt8(AttrTtl, t);
        // The kernel always dumps NFTA_OSF_FLAGS (0 without "version") but nft_osf_init refuses any
        // value other than NFT_OSF_F_VERSION, and nft never sends a 0: a decoded 0 is not sent back.
        if (Flags is OsfFlags f && f != OsfFlags.None) writer.WriteUInt32BigEndian(AttrFlags, (uint)f);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "osf");
        Register? dreg = null;
        byte? ttl = null;
        OsfFlags? flags = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrDreg: dreg = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrTtl: ttl = a.GetUInt8(); break;
                case AttrFlags: flags = (OsfFlags)a.GetUInt32BigEndian(); break;
                default: return null;
            }
        }
        if (dreg is null)
        {
            throw new NetlinkProtocolException("osf", "NFTA_OSF_DREG", "none");
        }
        return new OsfExpression(dreg.Value, ttl, flags, false);
    }

    internal override void AppendDebugBody(StringBuilder builder) =>
        builder.Append("dreg ").Append(Destination).Append(' ');
}
