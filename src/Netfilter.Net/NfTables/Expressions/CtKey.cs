namespace Netfilter.Net.NfTables.Expressions;

/// <summary>Conntrack keys (uapi nf_tables.h, enum nft_ct_keys). The comment after each is libnftnl's name.</summary>
public enum CtKey : uint
{
    /// <summary>NFT_CT_STATE: state (bitmask of NF_CT_STATE_*_BIT, host order).</summary>
    State = 0,
    /// <summary>NFT_CT_DIRECTION: direction.</summary>
    Direction = 1,
    /// <summary>NFT_CT_STATUS: status (IPS_* bits, host order).</summary>
    Status = 2,
    /// <summary>NFT_CT_MARK: mark (host order).</summary>
    Mark = 3,
    /// <summary>NFT_CT_SECMARK: secmark.</summary>
    SecMark = 4,
    /// <summary>NFT_CT_EXPIRATION: expiration (milliseconds).</summary>
    Expiration = 5,
    /// <summary>NFT_CT_HELPER: helper (name).</summary>
    Helper = 6,
    /// <summary>NFT_CT_L3PROTOCOL: l3protocol.</summary>
    L3Protocol = 7,
    /// <summary>NFT_CT_SRC: src (address of the direction given).</summary>
    Source = 8,
    /// <summary>NFT_CT_DST: dst.</summary>
    Destination = 9,
    /// <summary>NFT_CT_PROTOCOL: protocol (layer 4).</summary>
    Protocol = 10,
    /// <summary>NFT_CT_PROTO_SRC: proto_src (port, network order).</summary>
    ProtoSource = 11,
    /// <summary>NFT_CT_PROTO_DST: proto_dst.</summary>
    ProtoDestination = 12,
    /// <summary>NFT_CT_LABELS: label.</summary>
    Labels = 13,
    /// <summary>NFT_CT_PKTS: packets.</summary>
    Packets = 14,
    /// <summary>NFT_CT_BYTES: bytes.</summary>
    Bytes = 15,
    /// <summary>NFT_CT_AVGPKT: avgpkt.</summary>
    AveragePacket = 16,
    /// <summary>NFT_CT_ZONE: zone.</summary>
    Zone = 17,
    /// <summary>NFT_CT_EVENTMASK: event.</summary>
    EventMask = 18,
    /// <summary>NFT_CT_SRC_IP: src_ip.</summary>
    SourceIPv4 = 19,
    /// <summary>NFT_CT_DST_IP: dst_ip.</summary>
    DestinationIPv4 = 20,
    /// <summary>NFT_CT_SRC_IP6: src_ip6.</summary>
    SourceIPv6 = 21,
    /// <summary>NFT_CT_DST_IP6: dst_ip6.</summary>
    DestinationIPv6 = 22,
    /// <summary>NFT_CT_ID: the conntrack id. libnftnl 1.2.4 has no name for it and prints <c>unknown</c>.</summary>
    Id = 23,
}
