using System;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// fwd (netdev family): sends the packet out of the device (ifindex) in a register, optionally to
/// a next-hop address of <see cref="Family"/> (neighbour resolution). Debug text:
/// <c>[ fwd sreg_dev 1 sreg_addr 2 nfproto 2 ]</c>.
/// </summary>
public sealed class FwdExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_fwd_attributes
    private const ushort AttrSregDev = 1;  // NFTA_FWD_SREG_DEV
    private const ushort AttrSregAddr = 2; // NFTA_FWD_SREG_ADDR
    private const ushort AttrNfproto = 3;  // NFTA_FWD_NFPROTO

    /// <summary>Forwards out of the device whose ifindex is in <paramref name="device"/> (nft "fwd to eth0").</summary>
    public FwdExpression(Register device)
    {
        SourceDevice = device;
    }

    /// <summary>
    /// Forwards out of <paramref name="device"/> to the next hop in <paramref name="address"/>, an
    /// address of <paramref name="family"/> (<see cref="NetfilterFamily.IPv4"/> or <see cref="NetfilterFamily.IPv6"/>).
    /// </summary>
    public FwdExpression(Register device, Register address, NetfilterFamily family)
    {
        SourceDevice = device;
        SourceAddress = address;
        Family = family;
    }

    private FwdExpression()
    {
    }

    /// <summary>NFTA_FWD_SREG_DEV, when present.</summary>
    public Register? SourceDevice { get; private init; }

    /// <summary>NFTA_FWD_SREG_ADDR, when present.</summary>
    public Register? SourceAddress { get; private init; }

    /// <summary>NFTA_FWD_NFPROTO: the family of the next-hop address, when present.</summary>
    public NetfilterFamily? Family { get; private init; }

    /// <inheritdoc />
    public override string Name => "fwd";

    internal override void EncodeData(NetlinkWriter writer)
    {
        if (SourceDevice is Register d) writer.WriteUInt32BigEndian(AttrSregDev, d.Raw);
        if (SourceAddress is Register a) writer.WriteUInt32BigEndian(AttrSregAddr, a.Raw);
        if (Family is NetfilterFamily f) writer.WriteUInt32BigEndian(AttrNfproto, (uint)f);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "fwd");
        Register? device = null, address = null;
        NetfilterFamily? family = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrSregDev: device = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrSregAddr: address = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrNfproto:
                    uint nfproto = a.GetUInt32BigEndian();
                    if (nfproto > byte.MaxValue)
                    {
                        return null; // not an NFPROTO_* value: keep the expression raw
                    }
                    family = (NetfilterFamily)nfproto;
                    break;
                default: return null;
            }
        }
        return new FwdExpression { SourceDevice = device, SourceAddress = address, Family = family };
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        if (SourceDevice is Register d) builder.Append("sreg_dev ").Append(d).Append(' ');
        if (SourceAddress is Register a) builder.Append("sreg_addr ").Append(a).Append(' ');
        if (Family is NetfilterFamily f) builder.Append("nfproto ").Append((uint)f).Append(' ');
    }
}
