using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;

namespace Netfilter.Net.Nat;

/// <summary>
/// The set of transport protocols a typed NAT rule applies to: <see cref="Tcp"/>, <see cref="Udp"/>
/// or <see cref="Both"/>.
/// </summary>
/// <remarks>
/// <para>
/// A single protocol is the BCL's <see cref="ProtocolType"/> everywhere in the library (conntrack,
/// sockets, NAT claims). A rule may cover both TCP and UDP with one rule, which
/// <see cref="ProtocolType"/> cannot say, so rules take this set; it converts implicitly from
/// <see cref="ProtocolType.Tcp"/> and <see cref="ProtocolType.Udp"/>, so
/// <c>new RedirectRule(ProtocolType.Tcp, 80, 8080)</c> and
/// <c>new RedirectRule(TransportProtocol.Tcp, 80, 8080)</c> are the same rule.
/// </para>
/// <para>
/// <c>default(TransportProtocol)</c> is the empty set: no rule accepts it
/// (<see cref="ArgumentException"/> naming the parameter).
/// </para>
/// </remarks>
public readonly struct TransportProtocol : IEquatable<TransportProtocol>
{
    private const byte TcpBit = 1;
    private const byte UdpBit = 2;

    // Bit 1 is TCP, bit 2 is UDP (the values of the former [Flags] enum); 0 is the empty default.
    private readonly byte _bits;

    private TransportProtocol(byte bits) => _bits = bits;

    /// <summary>TCP (IPPROTO_TCP, 6).</summary>
    public static TransportProtocol Tcp => new(TcpBit);

    /// <summary>UDP (IPPROTO_UDP, 17).</summary>
    public static TransportProtocol Udp => new(UdpBit);

    /// <summary>TCP and UDP.</summary>
    public static TransportProtocol Both => new(TcpBit | UdpBit);

    /// <summary>The protocols in this set, TCP first: one or two of <see cref="ProtocolType.Tcp"/> and <see cref="ProtocolType.Udp"/> (none for <c>default</c>).</summary>
    public IReadOnlyList<ProtocolType> ProtocolTypes => _bits switch
    {
        TcpBit => new[] { ProtocolType.Tcp },
        UdpBit => new[] { ProtocolType.Udp },
        TcpBit | UdpBit => new[] { ProtocolType.Tcp, ProtocolType.Udp },
        _ => Array.Empty<ProtocolType>(),
    };

    /// <summary>True when <paramref name="protocol"/> is in this set (false for any protocol other than TCP and UDP).</summary>
    public bool Contains(ProtocolType protocol) => (_bits & Bit(protocol)) != 0;

    /// <summary>One protocol as a set: <see cref="ProtocolType.Tcp"/> is <see cref="Tcp"/>, <see cref="ProtocolType.Udp"/> is <see cref="Udp"/>.</summary>
    /// <exception cref="ArgumentException">Any other protocol: typed NAT rules match TCP and UDP ports only.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1065:Do not raise exceptions in unexpected locations",
        Justification = "The conversion is what lets a rule take ProtocolType.Tcp directly; any other protocol is the caller's error, reported where it is made and naming the value, which a silent empty set would lose.")]
    public static implicit operator TransportProtocol(ProtocolType protocol)
    {
        byte bit = Bit(protocol);
        if (bit == 0)
        {
            throw new ArgumentException($"a NAT rule's protocol is tcp or udp (ProtocolType.Tcp or ProtocolType.Udp), not {protocol}", nameof(protocol));
        }
        return new TransportProtocol(bit);
    }

    /// <summary>The union of two sets: <c>TransportProtocol.Tcp | TransportProtocol.Udp</c> is <see cref="Both"/>.</summary>
    public static TransportProtocol operator |(TransportProtocol left, TransportProtocol right) => new((byte)(left._bits | right._bits));

    /// <summary>True when both sets hold the same protocols.</summary>
    public static bool operator ==(TransportProtocol left, TransportProtocol right) => left._bits == right._bits;

    /// <summary>True when the sets differ.</summary>
    public static bool operator !=(TransportProtocol left, TransportProtocol right) => left._bits != right._bits;

    /// <inheritdoc/>
    public bool Equals(TransportProtocol other) => _bits == other._bits;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TransportProtocol other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _bits;

    /// <summary>"tcp", "udp" or "both", as nft and <c>nfnet --proto</c> write it ("none" for <c>default</c>).</summary>
    public override string ToString() => _bits switch
    {
        TcpBit => "tcp",
        UdpBit => "udp",
        TcpBit | UdpBit => "both",
        _ => "none",
    };

    /// <summary>
    /// Reads <c>tcp</c>, <c>udp</c> or <c>both</c>, as <see cref="ToString"/> writes them (lower case):
    /// the one reader of the protocol word, for rule texts (<see cref="NatRuleParser"/>) and for tools
    /// that take it from their users.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">Any other text; the message quotes it.</exception>
    public static TransportProtocol Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out TransportProtocol protocol) ? protocol : throw new FormatException($"{InputText.Quote(text)} is not tcp, udp or both");
    }

    /// <summary>Reads <c>tcp</c>, <c>udp</c> or <c>both</c> (lower case); false, and <c>default</c>, for any other text.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out TransportProtocol protocol)
    {
        protocol = text switch
        {
            "tcp" => Tcp,
            "udp" => Udp,
            "both" => Both,
            _ => default,
        };
        return protocol._bits != 0;
    }

    /// <summary>The protocols both sets hold, or null when they share none.</summary>
    internal TransportProtocol? Intersect(TransportProtocol other)
    {
        byte common = (byte)(_bits & other._bits);
        return common == 0 ? null : new TransportProtocol(common);
    }

    /// <summary>The IPPROTO numbers, in a stable order (tcp first).</summary>
    internal ReadOnlySpan<byte> Numbers() => _bits switch
    {
        // Static data, not arrays: compiling and matching call it per rule and per conntrack entry.
        TcpBit => TcpNumber,
        UdpBit => UdpNumber,
        TcpBit | UdpBit => BothNumbers,
        _ => throw new InvalidOperationException("default(TransportProtocol) holds no protocol; rules validate it away"),
    };

    private static ReadOnlySpan<byte> TcpNumber => new byte[] { 6 };

    private static ReadOnlySpan<byte> UdpNumber => new byte[] { 17 };

    private static ReadOnlySpan<byte> BothNumbers => new byte[] { 6, 17 };

    /// <summary>"tcp", "udp" or "both".</summary>
    internal string Name() => ToString();

    /// <summary>Throws unless the set holds at least one protocol (it is not <c>default</c>).</summary>
    internal static void Validate(TransportProtocol protocol, string parameter)
    {
        if (protocol._bits == 0)
        {
            throw new ArgumentException("protocol must be tcp, udp or both, not the empty default(TransportProtocol)", parameter);
        }
    }

    private static byte Bit(ProtocolType protocol) => protocol switch
    {
        ProtocolType.Tcp => TcpBit,
        ProtocolType.Udp => UdpBit,
        _ => 0,
    };
}
