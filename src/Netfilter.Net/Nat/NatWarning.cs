namespace Netfilter.Net.Nat;

/// <summary>
/// Why a rule given to <see cref="NatTable.ApplyAsync"/> will not work on this host as it is, read
/// from the host when the rules were applied (<see cref="NatApplyResult.Warnings"/>). The table is
/// written all the same: the warning names what else must change, and never changes it.
/// </summary>
/// <remarks>
/// <see cref="Kind"/> and <see cref="Family"/> say it as data, so a program can make the change
/// (<see cref="NatWarningKind.ForwardingOff"/>: <c>Forwarding.Enable(Family, ns)</c>) and a tool can
/// name it in its own syntax; <c>DoctorFix.For(warning)</c> gives it as the doctor's typed fix.
/// </remarks>
/// <param name="Kind">What stops the rule.</param>
/// <param name="Rule">The rule that will not work.</param>
/// <param name="Message">What is wrong and what fixes it, in words that name the library's calls.</param>
public sealed record NatWarning(NatWarningKind Kind, NatRule Rule, string Message)
{
    /// <summary>
    /// The address family it is about: for <see cref="NatWarningKind.ForwardingOff"/> the one whose
    /// forwarding is off (<see cref="NetfilterFamily.IPv4"/> or <see cref="NetfilterFamily.IPv6"/>);
    /// <see cref="NetfilterFamily.IPv4"/> for <see cref="NatWarningKind.LoopbackTarget"/>.
    /// </summary>
    public NetfilterFamily Family { get; init; }

    /// <summary>The <see cref="Message"/>.</summary>
    public override string ToString() => Message;
}
