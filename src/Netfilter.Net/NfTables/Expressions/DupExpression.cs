using System;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// dup: sends a copy of the packet to the address and/or device (ifindex) held in registers
/// (ip/ip6: to an address, optionally through a device; netdev: out of a device).
/// Debug text: <c>[ dup sreg_addr 1 sreg_dev 2 ]</c>.
/// </summary>
public sealed class DupExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_dup_attributes
    private const ushort AttrSregAddr = 1; // NFTA_DUP_SREG_ADDR
    private const ushort AttrSregDev = 2;  // NFTA_DUP_SREG_DEV

    /// <summary>Duplicates to the address in <paramref name="address"/> and/or the ifindex in <paramref name="device"/>.</summary>
    /// <exception cref="ArgumentException">Neither register is given.</exception>
    public DupExpression(Register? address = null, Register? device = null)
    {
        if (address is null && device is null)
        {
            throw new ArgumentException("dup needs an address register, a device register, or both", nameof(address));
        }
        SourceAddress = address;
        SourceDevice = device;
    }

    private DupExpression(Register? address, Register? device, bool _)
    {
        SourceAddress = address;
        SourceDevice = device;
    }

    /// <summary>NFTA_DUP_SREG_ADDR, when present.</summary>
    public Register? SourceAddress { get; }

    /// <summary>NFTA_DUP_SREG_DEV (an ifindex), when present.</summary>
    public Register? SourceDevice { get; }

    /// <inheritdoc />
    public override string Name => "dup";

    internal override void EncodeData(NetlinkWriter writer)
    {
        if (SourceAddress is Register a) writer.WriteUInt32BigEndian(AttrSregAddr, a.Raw);
        if (SourceDevice is Register d) writer.WriteUInt32BigEndian(AttrSregDev, d.Raw);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "dup");
        Register? address = null, device = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrSregAddr: address = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrSregDev: device = Register.FromRaw(a.GetUInt32BigEndian()); break;
                default: return null;
            }
        }
        return new DupExpression(address, device, false);
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        if (SourceAddress is Register a) builder.Append("sreg_addr ").Append(a).Append(' ');
        if (SourceDevice is Register d) builder.Append("sreg_dev ").Append(d).Append(' ');
    }
}
