namespace Netfilter.Net.Conntrack;

/// <summary>The SCTP state conntrack tracks (uapi nf_conntrack_sctp.h, enum sctp_conntrack).</summary>
public enum SctpConntrackState : byte
{
    /// <summary>SCTP_CONNTRACK_NONE.</summary>
    None = 0,
    /// <summary>SCTP_CONNTRACK_CLOSED.</summary>
    Closed = 1,
    /// <summary>SCTP_CONNTRACK_COOKIE_WAIT.</summary>
    CookieWait = 2,
    /// <summary>SCTP_CONNTRACK_COOKIE_ECHOED.</summary>
    CookieEchoed = 3,
    /// <summary>SCTP_CONNTRACK_ESTABLISHED.</summary>
    Established = 4,
    /// <summary>SCTP_CONNTRACK_SHUTDOWN_SENT.</summary>
    ShutdownSent = 5,
    /// <summary>SCTP_CONNTRACK_SHUTDOWN_RECD.</summary>
    ShutdownReceived = 6,
    /// <summary>SCTP_CONNTRACK_SHUTDOWN_ACK_SENT.</summary>
    ShutdownAckSent = 7,
    /// <summary>SCTP_CONNTRACK_HEARTBEAT_SENT.</summary>
    HeartbeatSent = 8,
    /// <summary>SCTP_CONNTRACK_HEARTBEAT_ACKED (no longer used).</summary>
    HeartbeatAcked = 9,
}
