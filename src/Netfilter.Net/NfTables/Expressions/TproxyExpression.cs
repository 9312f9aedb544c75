using System;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// tproxy: hands the packet to a local transparent socket at the address and/or port found in
/// registers, without rewriting it (nft <c>tproxy to 10.0.0.1:8080</c>, prerouting only). The
/// listening socket needs IP_TRANSPARENT. Debug text: <c>[ tproxy ip addr reg 1 port reg 2 ]</c>,
/// <c>[ tproxy port reg 1 ]</c> (inet tables, port only: family 0 is not printed).
/// </summary>
public sealed class TproxyExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_tproxy_attributes
    private const ushort AttrFamily = 1;  // NFTA_TPROXY_FAMILY (NFPROTO_*)
    private const ushort AttrRegAddr = 2; // NFTA_TPROXY_REG_ADDR
    private const ushort AttrRegPort = 3; // NFTA_TPROXY_REG_PORT

    /// <summary>
    /// A tproxy for <paramref name="family"/>: <see cref="NetfilterFamily.IPv4"/> or <see cref="NetfilterFamily.IPv6"/>,
    /// or <see cref="NetfilterFamily.Unspecified"/> in an inet table when only a port is given.
    /// </summary>
    public TproxyExpression(NetfilterFamily family) => Family = family;

    private TproxyExpression(NetfilterFamily? family) => Family = family;

    /// <summary>NFTA_TPROXY_FAMILY, when sent (nft always sends it, 0 for a port-only inet tproxy).</summary>
    public NetfilterFamily? Family { get; }

    /// <summary>NFTA_TPROXY_REG_ADDR: register with the address (4 or 16 bytes, network order).</summary>
    public Register? Address { get; init; }

    /// <summary>NFTA_TPROXY_REG_PORT: register with the port (2 bytes, network order).</summary>
    public Register? Port { get; init; }

    /// <inheritdoc />
    public override string Name => "tproxy";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_expr_tproxy_build order: FAMILY, REG_ADDR, REG_PORT.
        if (Family is NetfilterFamily f) writer.WriteUInt32BigEndian(AttrFamily, (uint)f);
        if (Address is Register a) writer.WriteUInt32BigEndian(AttrRegAddr, a.Raw);
        if (Port is Register p) writer.WriteUInt32BigEndian(AttrRegPort, p.Raw);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "tproxy");
        uint? family = null;
        Register? addr = null, port = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrFamily: family = a.GetUInt32BigEndian(); break;
                case AttrRegAddr: addr = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrRegPort: port = Register.FromRaw(a.GetUInt32BigEndian()); break;
                default: return null;
            }
        }
        if (family > byte.MaxValue)
        {
            // NetfilterFamily is a byte (NFPROTO_* < NFPROTO_NUMPROTO); keep such a value raw.
            return null;
        }
        return new TproxyExpression((NetfilterFamily?)(byte?)family) { Address = addr, Port = port };
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        // libnftnl: the family name unless it is 0 (absent reads as 0), then addr and port.
        if (Family is NetfilterFamily f && f != NetfilterFamily.Unspecified)
        {
            builder.Append(FamilyNames.Of(f)).Append(' ');
        }
        if (Address is Register a) builder.Append("addr reg ").Append(a).Append(' ');
        if (Port is Register p) builder.Append("port reg ").Append(p).Append(' ');
    }
}
