using System;

namespace Netfilter.Net.Conntrack;

/// <summary>What conntrack knows of one direction of a TCP connection (uapi nf_conntrack_tcp.h, IP_CT_TCP_FLAG_*).</summary>
[Flags]
public enum TcpConntrackFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>IP_CT_TCP_FLAG_WINDOW_SCALE: the sender advertised window scaling.</summary>
    WindowScale = 0x01,
    /// <summary>IP_CT_TCP_FLAG_SACK_PERM: the sender permits SACK.</summary>
    SackPermitted = 0x02,
    /// <summary>IP_CT_TCP_FLAG_CLOSE_INIT: this sender sent FIN first.</summary>
    CloseInit = 0x04,
    /// <summary>IP_CT_TCP_FLAG_BE_LIBERAL: conntrack does not check this direction's window (set on entries made by hand and picked up mid-stream).</summary>
    BeLiberal = 0x08,
    /// <summary>IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED: the sender has unacknowledged data.</summary>
    DataUnacknowledged = 0x10,
    /// <summary>IP_CT_TCP_FLAG_MAXACK_SET: conntrack has seen an ACK from this sender (td_maxack is set).</summary>
    MaxAckSet = 0x20,
    /// <summary>IP_CT_EXP_CHALLENGE_ACK: an RFC 5961 challenge ACK may come.</summary>
    ExpectChallengeAck = 0x40,
    /// <summary>IP_CT_TCP_SIMULTANEOUS_OPEN: a simultaneous open started.</summary>
    SimultaneousOpen = 0x80,
}
