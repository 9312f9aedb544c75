using System.Collections.Generic;
using System.Net;
using System.Text;

namespace Netfilter.Net.Nat;

/// <summary>
/// MASQUERADE: connections leaving through <see cref="OutputInterface"/> get that interface's
/// address as their source (DESIGN.md S3, the home router). The address is looked up per
/// connection, so it follows DHCP changes.
/// </summary>
public sealed class MasqueradeRule : NatRule
{
    /// <summary>Masquerades connections leaving through <paramref name="outputInterface"/>.</summary>
    /// <param name="outputInterface">Only connections leaving through this interface (recommended: the uplink).</param>
    /// <param name="sources">Only connections from these prefixes (IPv4 and IPv6 may mix). Empty: all.</param>
    /// <param name="random">nat flag "random": randomise source ports.</param>
    /// <param name="fullyRandom">nat flag "fully-random": randomise source ports with a full PRNG.</param>
    /// <exception cref="System.ArgumentException">A parameter is invalid; the message names it and says why.</exception>
    public MasqueradeRule(string? outputInterface = null, IEnumerable<IPNetwork>? sources = null, bool random = false, bool fullyRandom = false)
    {
        ValidateInterface(outputInterface, nameof(outputInterface));
        Sources = ValidateSources(sources, nameof(sources));
        OutputInterface = outputInterface;
        Random = random;
        FullyRandom = fullyRandom;
    }

    /// <summary>Only connections leaving through this interface, when set.</summary>
    public string? OutputInterface { get; }

    /// <summary>Only connections from these prefixes; empty means all.</summary>
    public IReadOnlyList<IPNetwork> Sources { get; }

    /// <summary>nat flag random.</summary>
    public bool Random { get; }

    /// <summary>nat flag fully-random.</summary>
    public bool FullyRandom { get; }

    /// <summary><see cref="NatRuleKind.Masquerade"/>.</summary>
    public override NatRuleKind Kind => NatRuleKind.Masquerade;

    private protected override NatRuleIdentity CreateIdentity() =>
        new(NatRuleKind.Masquerade, FamiliesOf(Sources), null, null, null, null, OutputInterface, Sources);

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder("masquerade");
        if (OutputInterface is not null) sb.Append(" oif ").Append(OutputInterface);
        AppendSources(sb, Sources);
        if (Random) sb.Append(" random");
        if (FullyRandom) sb.Append(" fully-random");
        return sb.ToString();
    }
}
