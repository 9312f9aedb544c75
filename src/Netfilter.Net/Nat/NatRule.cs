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
    private NatRuleIdentity? _identity;
    private NatClaim? _claim;
    private string? _text;

    private protected NatRule()
    {
    }

    /// <summary>Redirect, DNAT, SNAT, masquerade or tproxy.</summary>
    public abstract NatRuleKind Kind { get; }

    /// <summary>
    /// What makes this rule the rule it is (its kind and match, not its options): what
    /// <see cref="NatTable.RemoveAsync"/> matches. See <see cref="NatRuleIdentity"/>.
    /// </summary>
    public NatRuleIdentity Identity => _identity ??= CreateIdentity();

    /// <summary>The packets this rule would translate (see <see cref="NatClaim"/>).</summary>
    internal NatClaim Claim => _claim ??= NatClaim.Of(this);

    private protected abstract NatRuleIdentity CreateIdentity();

    /// <summary>The canonical text, e.g. <c>dnat tcp 2222 to 192.168.1.10:22 masquerade</c>. <see cref="NatRuleParser.Parse"/> reads it back.</summary>
    public abstract override string ToString();

    /// <summary>
    /// <see cref="ToString"/>, formatted once: a rule never changes after it is built, and the NAT
    /// code compares, indexes and looks rules up by their text many times (ten thousand rules in
    /// an apply would otherwise format each one about ten times).
    /// </summary>
    internal string Text => _text ??= ToString();

    /// <inheritdoc />
    public bool Equals(NatRule? other) => other is not null && other.GetType() == GetType() && other.Text == Text;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as NatRule);

    /// <inheritdoc />
    public override int GetHashCode() => Text.GetHashCode(StringComparison.Ordinal);

    /// <summary>
    /// Throws unless <paramref name="name"/> is null or a name Linux accepts for an interface
    /// (net/core/dev.c dev_valid_name: 1 to IFNAMSIZ - 1 bytes, not "." or "..", no '/', ':' or
    /// whitespace), without ',' or '"' (which the rule's canonical text cannot carry) and without
    /// control characters.
    /// </summary>
    internal static void ValidateInterface(string? name, string parameter)
    {
        if (name is null)
        {
            return;
        }
        if (InterfaceName.Problem(name) is string problem)
        {
            throw new ArgumentException(InterfaceName.Refusal(name, problem), parameter);
        }
        // Linux allows these two, but the rule's canonical text cannot carry them: it is written
        // into nft's double-quoted comments, and its lists (from a,b) are separated by ','.
        foreach (char c in name)
        {
            if (c is ',' or '"')
            {
                throw new ArgumentException(InterfaceName.Refusal(name, $"it contains {InterfaceName.CharName(c)}, which a rule's text cannot carry"), parameter);
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
            RefuseScopeId(network.BaseAddress, parameter);
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
        RefuseScopeId(address, parameter);
    }

    /// <summary>
    /// Throws for an IPv6 address with a scope id (fe80::1%eth0): nftables compares and
    /// translates the 16 address bytes only, so the scope would silently be dropped.
    /// </summary>
    private static void RefuseScopeId(IPAddress address, string parameter)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        {
            throw new ArgumentException($"{address} has a scope id (%{address.ScopeId}): nftables cannot carry a scope id, it matches and translates the address alone; give the address without '%' (and an interface option to pick the link)", parameter);
        }
    }

    /// <summary>
    /// Throws unless <paramref name="address"/> can be the one host a translation sends to or
    /// from: not the unspecified address (0.0.0.0, ::), not multicast (224.0.0.0/4, ff00::/8),
    /// not the limited broadcast 255.255.255.255. <paramref name="role"/> says what the address is for.
    /// </summary>
    internal static void ValidateTranslationAddress(IPAddress address, string role, string parameter)
    {
        ValidateFamily(address, parameter);
        byte[] bytes = address.GetAddressBytes();
        string? problem = null;
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            problem = "the unspecified address, which names no host";
        }
        else if (address.AddressFamily == AddressFamily.InterNetwork && bytes[0] >= 224 && bytes[0] <= 239)
        {
            problem = "a multicast address (224.0.0.0/4), which names a group, not one host";
        }
        else if (address.Equals(IPAddress.Broadcast))
        {
            problem = "the limited broadcast address, which names no single host";
        }
        else if (address.AddressFamily == AddressFamily.InterNetworkV6 && bytes[0] == 0xff)
        {
            problem = "a multicast address (ff00::/8), which names a group, not one host";
        }
        if (problem is not null)
        {
            throw new ArgumentException($"{address} is {problem}: {role} must be the address of one host", parameter);
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

    /// <summary>The family of <paramref name="address"/>.</summary>
    internal static NatFamilies FamilyOf(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork ? NatFamilies.IPv4 : NatFamilies.IPv6;

    /// <summary>The families of <paramref name="sources"/>; both when there are none.</summary>
    internal static NatFamilies FamiliesOf(IReadOnlyList<IPNetwork> sources)
    {
        NatFamilies families = 0;
        foreach (IPNetwork network in sources)
        {
            families |= FamilyOf(network.BaseAddress);
        }
        return families == 0 ? NatFamilies.Both : families;
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
