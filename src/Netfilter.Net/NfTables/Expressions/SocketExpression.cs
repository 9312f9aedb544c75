using System;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// socket: loads a property of the local socket the packet belongs to (transparent proxies use
/// <c>socket transparent 1</c>). Debug text: <c>[ socket load transparent =&gt; reg 1 ]</c>.
/// nft sends NFTA_SOCKET_LEVEL (0 unless cgroupv2); the kernel dumps it only for cgroupv2.
/// </summary>
public sealed class SocketExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_socket_attributes
    private const ushort AttrKey = 1;   // NFTA_SOCKET_KEY
    private const ushort AttrDreg = 2;  // NFTA_SOCKET_DREG
    private const ushort AttrLevel = 3; // NFTA_SOCKET_LEVEL

    private SocketExpression(SocketKey key, Register? destination, uint? level)
    {
        Key = key;
        Destination = destination;
        Level = level;
    }

    /// <summary>
    /// Loads <paramref name="key"/> into <paramref name="destination"/>. <paramref name="level"/> is the
    /// cgroup v2 ancestor level for <see cref="SocketKey.CgroupV2"/>; nft sends it (as 0) for every key.
    /// </summary>
    public static SocketExpression Load(SocketKey key, Register destination, uint? level = 0) => new(key, destination, level);

    /// <summary>NFTA_SOCKET_KEY.</summary>
    public SocketKey Key { get; }

    /// <summary>NFTA_SOCKET_DREG.</summary>
    public Register? Destination { get; }

    /// <summary>NFTA_SOCKET_LEVEL, when present.</summary>
    public uint? Level { get; }

    /// <inheritdoc />
    public override string Name => "socket";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_expr_socket_build order: KEY, DREG, LEVEL.
        writer.WriteUInt32BigEndian(AttrKey, (uint)Key);
        if (Destination is Register d) writer.WriteUInt32BigEndian(AttrDreg, d.Raw);
        if (Level is uint l) writer.WriteUInt32BigEndian(AttrLevel, l);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "socket");
        SocketKey? key = null;
        Register? dreg = null;
        uint? level = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrKey: key = (SocketKey)a.GetUInt32BigEndian(); break;
                case AttrDreg: dreg = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrLevel: level = a.GetUInt32BigEndian(); break;
                default: return null;
            }
        }
        if (key is null)
        {
            throw new NetlinkProtocolException("socket", "NFTA_SOCKET_KEY", "none");
        }
        return new SocketExpression(key.Value, dreg, level);
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        // libnftnl 1.2.4 nftnl_expr_socket_snprintf: the load form when DREG is set, else the level.
        if (Destination is Register d)
        {
            builder.Append("load ").Append(KeyName(Key)).Append(" => reg ").Append(d).Append(' ');
        }
        else
        {
            builder.Append("level ").Append(Level ?? 0).Append(' ');
        }
    }

    private static string KeyName(SocketKey key) => key switch
    {
        SocketKey.Transparent => "transparent",
        SocketKey.Mark => "mark",
        SocketKey.Wildcard => "wildcard",
        SocketKey.CgroupV2 => "cgroupv2",
        _ => "unknown",
    };
}
