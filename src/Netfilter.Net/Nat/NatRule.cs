using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Netfilter.Net.Nat;

/// <summary>
/// A typed port-redirection rule: <see cref="RedirectRule"/>, <see cref="DnatRule"/>,
/// <see cref="SnatRule"/>, <see cref="MasqueradeRule"/> or <see cref="TproxyRule"/>. Every rule
/// is validated when it is built, so nothing invalid is ever sent. Two rules are equal when
/// they mean the same thing; <see cref="ToString"/> is their canonical, parseable text (it is
/// also the comment that <c>nft list ruleset</c> shows).
/// </summary>
public abstract class NatRule : IEquatable<NatRule>
{
    private protected NatRule()
    {
    }

    /// <summary>The canonical text, e.g. <c>dnat tcp 2222 to 192.168.1.10:22 masquerade</c>. <see cref="NatRuleParser.Parse"/> reads it back.</summary>
    public abstract override string ToString();

    /// <inheritdoc />
    public bool Equals(NatRule? other) => other is not null && other.GetType() == GetType() && other.ToString() == ToString();

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as NatRule);

    /// <inheritdoc />
    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    internal static void ValidateInterface(string? name, string parameter)
    {
        if (name is null)
        {
            return;
        }
        if (name.Length == 0)
        {
            throw new ArgumentException("an interface name is not empty", parameter);
        }
        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > 15)
        {
            throw new ArgumentException($"interface name {InputText.Quote(name)} is {bytes} bytes; Linux allows at most 15 (IFNAMSIZ - 1)", parameter);
        }
        foreach (char c in name)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c == '/' || c == ':' || c == ',' || c == '"')
            {
                throw new ArgumentException($"interface name {InputText.Quote(name)} contains {InputText.Quote(c)}, which Linux does not allow in names", parameter);
            }
        }
    }

    internal static IReadOnlyList<IPNetwork> ValidateSources(IEnumerable<IPNetwork>? sources, string parameter)
    {
        if (sources is null)
        {
            return Array.Empty<IPNetwork>();
        }
        var list = new List<IPNetwork>();
        foreach (IPNetwork network in sources)
        {
            if (network.BaseAddress is null)
            {
                throw new ArgumentException("a source prefix needs an address", parameter);
            }
            if (!list.Contains(network))
            {
                list.Add(network);
            }
        }
        list.Sort((a, b) => string.CompareOrdinal(a.ToString(), b.ToString()));
        return list;
    }

    internal static void ValidateFamily(IPAddress address, string parameter)
    {
        ArgumentNullException.ThrowIfNull(address, parameter);
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"{address} is neither IPv4 nor IPv6", parameter);
        }
        if (address.IsIPv4MappedToIPv6)
        {
            throw new ArgumentException($"{address} is an IPv4-mapped IPv6 address; pass the IPv4 address {address.MapToIPv4()}", parameter);
        }
    }

    /// <summary>Throws unless every source prefix is of <paramref name="family"/>.</summary>
    internal static void ValidateSourcesFamily(IReadOnlyList<IPNetwork> sources, AddressFamily family, string what, string parameter)
    {
        foreach (IPNetwork network in sources)
        {
            if (network.BaseAddress.AddressFamily != family)
            {
                throw new ArgumentException($"source prefix {network} is {Describe(network.BaseAddress.AddressFamily)} but {what} is {Describe(family)}: address families must agree", parameter);
            }
        }
    }

    internal static string Describe(AddressFamily family) => family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";

    internal static void AppendSources(StringBuilder sb, IReadOnlyList<IPNetwork> sources)
    {
        if (sources.Count > 0)
        {
            sb.Append(" from ").Append(string.Join(',', sources));
        }
    }
}
