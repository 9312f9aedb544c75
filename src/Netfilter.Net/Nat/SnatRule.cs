using System;
using System.Collections.Generic;
using System.Net;
using System.Text;

namespace Netfilter.Net.Nat;

/// <summary>
/// SNAT: connections leaving through <see cref="OutputInterface"/> get the source address
/// <see cref="ToAddress"/> (or one of the range up to <see cref="ToAddressLast"/>). Use it when the
/// public address is fixed; use <see cref="MasqueradeRule"/> when it is dynamic.
/// </summary>
public sealed class SnatRule : NatRule
{
    /// <summary>Rewrites the source of connections leaving through <paramref name="outputInterface"/> to <paramref name="toAddress"/>.</summary>
    /// <param name="toAddress">The new source address.</param>
    /// <param name="toAddressLast">The end of an address range, same family, not below <paramref name="toAddress"/>.</param>
    /// <param name="outputInterface">Only connections leaving through this interface (recommended).</param>
    /// <param name="sources">Only connections from these prefixes (same family). Empty: all.</param>
    /// <exception cref="ArgumentException">A parameter is invalid; the message names it and says why.</exception>
    public SnatRule(IPAddress toAddress, IPAddress? toAddressLast = null, string? outputInterface = null, IEnumerable<IPNetwork>? sources = null)
    {
        ValidateTranslationAddress(toAddress, "an SNAT source address", nameof(toAddress));
        if (toAddressLast is not null)
        {
            ValidateTranslationAddress(toAddressLast, "the end of an SNAT address range", nameof(toAddressLast));
            if (toAddressLast.AddressFamily != toAddress.AddressFamily)
            {
                throw new ArgumentException($"the range {toAddress}-{toAddressLast} mixes {Describe(toAddress.AddressFamily)} and {Describe(toAddressLast.AddressFamily)}", nameof(toAddressLast));
            }
            if (Compare(toAddress, toAddressLast) > 0)
            {
                throw new ArgumentException($"the address range {toAddress}-{toAddressLast} ends before it starts", nameof(toAddressLast));
            }
            if (toAddressLast.Equals(toAddress))
            {
                toAddressLast = null;
            }
        }
        ValidateInterface(outputInterface, nameof(outputInterface));
        Sources = ValidateSources(sources, nameof(sources));
        ValidateSourcesFamily(Sources, toAddress.AddressFamily, $"the new source {toAddress}", nameof(sources));
        ToAddress = toAddress;
        ToAddressLast = toAddressLast;
        OutputInterface = outputInterface;
    }

    /// <summary>The new source address (or the first of the range).</summary>
    public IPAddress ToAddress { get; }

    /// <summary>The last address of the range, when a range is used.</summary>
    public IPAddress? ToAddressLast { get; }

    /// <summary>Only connections leaving through this interface, when set.</summary>
    public string? OutputInterface { get; }

    /// <summary>Only connections from these prefixes; empty means all.</summary>
    public IReadOnlyList<IPNetwork> Sources { get; }

    /// <summary><see cref="NatRuleKind.Snat"/>.</summary>
    public override NatRuleKind Kind => NatRuleKind.Snat;

    private protected override NatRuleIdentity CreateIdentity() =>
        new(NatRuleKind.Snat, FamilyOf(ToAddress), null, null, null, null, OutputInterface, Sources);

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder("snat");
        if (OutputInterface is not null) sb.Append(" oif ").Append(OutputInterface);
        sb.Append(" to ").Append(ToAddress);
        if (ToAddressLast is not null) sb.Append('-').Append(ToAddressLast);
        AppendSources(sb, Sources);
        return sb.ToString();
    }

    internal static int Compare(IPAddress a, IPAddress b)
    {
        byte[] x = a.GetAddressBytes();
        byte[] y = b.GetAddressBytes();
        for (int i = 0; i < x.Length; i++)
        {
            int c = x[i].CompareTo(y[i]);
            if (c != 0)
            {
                return c;
            }
        }
        return 0;
    }
}
