using System;

namespace Netfilter.Net;

/// <summary>
/// Data from the kernel (or a capture) does not follow the netlink wire format: a length that
/// runs past its buffer, an attribute of the wrong size, a sequence number that answers nobody.
/// The message says what was expected and what was received. <see cref="NetfilterException.Errno"/>
/// is <see cref="Errno.EPROTO"/> and <see cref="NetfilterException.Operation"/> is <see cref="Context"/>.
/// </summary>
public sealed class NetlinkProtocolException : NetfilterException
{
    internal NetlinkProtocolException(string context, string expected, string received)
        : base($"{context}: expected {expected}, received {received}", Errno.EPROTO, context, null)
    {
        Context = context;
        Expected = expected;
        Received = received;
    }

    /// <summary>Where in the data the problem was found, e.g. "nlattr type 3 in NFTA_TABLE".</summary>
    public string Context { get; }

    /// <summary>What the format requires at that place.</summary>
    public string Expected { get; }

    /// <summary>What was actually there.</summary>
    public string Received { get; }
}
