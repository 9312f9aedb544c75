using System;
using System.Text;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// meta: loads packet metadata (mark, interface, L4 protocol...) into a register, or sets it from one.
/// Debug text: <c>[ meta load l4proto =&gt; reg 1 ]</c>, <c>[ meta set mark with reg 1 ]</c>.
/// </summary>
public sealed class MetaExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_meta_attributes
    private const ushort AttrDreg = 1; // NFTA_META_DREG
    private const ushort AttrKey = 2;  // NFTA_META_KEY
    private const ushort AttrSreg = 3; // NFTA_META_SREG

    private MetaExpression(MetaKey key, Register? destination, Register? source)
    {
        Key = key;
        Destination = destination;
        Source = source;
    }

    /// <summary>meta load: <paramref name="key"/> into <paramref name="destination"/>.</summary>
    public static MetaExpression Load(MetaKey key, Register destination) => new(key, destination, null);

    /// <summary>meta set: <paramref name="key"/> from <paramref name="source"/> (e.g. <c>meta mark set</c>).</summary>
    public static MetaExpression Set(MetaKey key, Register source) => new(key, null, source);

    /// <summary>The metadata key.</summary>
    public MetaKey Key { get; }

    /// <summary>NFTA_META_DREG, for a load.</summary>
    public Register? Destination { get; }

    /// <summary>NFTA_META_SREG, for a set.</summary>
    public Register? Source { get; }

    /// <inheritdoc />
    public override string Name => "meta";

    internal override KernelFeature? RequiredFeature => Key == MetaKey.BridgeBroute ? KernelFeatures.MetaBroute : base.RequiredFeature;

    internal override void EncodeData(NetlinkWriter writer)
    {
        // nft writes KEY before DREG for loads and SREG last for sets (libnftnl nftnl_expr_meta_build order).
        writer.WriteUInt32BigEndian(AttrKey, (uint)Key);
        if (Destination is Register d)
        {
            writer.WriteUInt32BigEndian(AttrDreg, d.Raw);
        }
        if (Source is Register s)
        {
            writer.WriteUInt32BigEndian(AttrSreg, s.Raw);
        }
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "meta");
        MetaKey? key = null;
        Register? dreg = null;
        Register? sreg = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrKey: key = (MetaKey)a.GetUInt32BigEndian(); break;
                case AttrDreg: dreg = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrSreg: sreg = Register.FromRaw(a.GetUInt32BigEndian()); break;
                default: return null;
            }
        }
        if (key is null)
        {
            throw new NetlinkProtocolException("meta", "NFTA_META_KEY", "none");
        }
        return new MetaExpression(key.Value, dreg, sreg);
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        if (Source is Register s && Destination is null)
        {
            builder.Append("set ").Append(KeyName(Key)).Append(" with reg ").Append(s).Append(' ');
        }
        else
        {
            builder.Append("load ").Append(KeyName(Key)).Append(" => reg ").Append(Destination?.Raw ?? 0).Append(' ');
        }
    }

    /// <summary>libnftnl 1.2.4's name of a meta key (meta_key2str_array).</summary>
    internal static string KeyName(MetaKey key) => key switch
    {
        MetaKey.Length => "len",
        MetaKey.Protocol => "protocol",
        MetaKey.Priority => "priority",
        MetaKey.Mark => "mark",
        MetaKey.InputInterface => "iif",
        MetaKey.OutputInterface => "oif",
        MetaKey.InputInterfaceName => "iifname",
        MetaKey.OutputInterfaceName => "oifname",
        MetaKey.InputInterfaceType => "iiftype",
        MetaKey.OutputInterfaceType => "oiftype",
        MetaKey.SocketUid => "skuid",
        MetaKey.SocketGid => "skgid",
        MetaKey.NfTrace => "nftrace",
        MetaKey.RouteClassId => "rtclassid",
        MetaKey.SecMark => "secmark",
        MetaKey.NfProto => "nfproto",
        MetaKey.L4Proto => "l4proto",
        MetaKey.BridgeInputInterfaceName => "bri_iifname",
        MetaKey.BridgeOutputInterfaceName => "bri_oifname",
        MetaKey.PacketType => "pkttype",
        MetaKey.Cpu => "cpu",
        MetaKey.InputInterfaceGroup => "iifgroup",
        MetaKey.OutputInterfaceGroup => "oifgroup",
        MetaKey.Cgroup => "cgroup",
        MetaKey.PseudoRandom => "prandom",
        MetaKey.SecPath => "secpath",
        MetaKey.InputInterfaceKind => "iifkind",
        MetaKey.OutputInterfaceKind => "oifkind",
        MetaKey.BridgeInputInterfacePvid => "bri_iifpvid",
        MetaKey.BridgeInputInterfaceVlanProtocol => "bri_iifvproto",
        MetaKey.TimeNanoseconds => "time",
        MetaKey.TimeDay => "day",
        MetaKey.TimeHour => "hour",
        MetaKey.SlaveDeviceInterface => "sdif",
        MetaKey.SlaveDeviceInterfaceName => "sdifname",
        _ => "unknown",
    };
}
