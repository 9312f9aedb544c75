using System;

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
/// Two warnings are equal when their kind, rule, family and message are.
/// </remarks>
public sealed record NatWarning
{
    // The library's own warnings put their words together when Message is first read: an apply of
    // 10,000 forwards with forwarding off makes 10,000 of them, and their 8 MB of text would cost
    // the apply a garbage collection that nobody who reads only Kind and Family needs.
    private readonly string? _where;
    private string? _message;

    /// <summary>A warning with its words given (the parameter names are the properties', as when this was a positional record).</summary>
    /// <param name="Kind">What stops the rule.</param>
    /// <param name="Rule">The rule that will not work.</param>
    /// <param name="Message">What is wrong and what fixes it, in words that name the library's calls.</param>
    public NatWarning(NatWarningKind Kind, NatRule Rule, string Message)
    {
        ArgumentNullException.ThrowIfNull(Rule);
        ArgumentNullException.ThrowIfNull(Message);
        this.Kind = Kind;
        this.Rule = Rule;
        _message = Message;
    }

    /// <summary>One of the library's warnings about <paramref name="rule"/> in <paramref name="where"/> (a namespace's description); its words are made when read.</summary>
    internal NatWarning(NatWarningKind kind, DnatRule rule, NetfilterFamily family, string where)
    {
        Kind = kind;
        Rule = rule;
        Family = family;
        _where = where;
    }

    /// <summary>What stops the rule.</summary>
    public NatWarningKind Kind { get; init; }

    /// <summary>The rule that will not work.</summary>
    public NatRule Rule { get; init; }

    /// <summary>What is wrong and what fixes it, in words that name the library's calls.</summary>
    public string Message
    {
        get => _message ??= Words(Kind, Rule, Family, _where!); // Only the library's constructor leaves the words out, and it gives where.
        init => _message = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// The address family it is about: for <see cref="NatWarningKind.ForwardingOff"/> the one whose
    /// forwarding is off (<see cref="NetfilterFamily.IPv4"/> or <see cref="NetfilterFamily.IPv6"/>);
    /// <see cref="NetfilterFamily.IPv4"/> for <see cref="NatWarningKind.LoopbackTarget"/>.
    /// </summary>
    public NetfilterFamily Family { get; init; }

    /// <summary>Gives the kind, rule and message, as a positional record would.</summary>
    public void Deconstruct(out NatWarningKind Kind, out NatRule Rule, out string Message)
    {
        Kind = this.Kind;
        Rule = this.Rule;
        Message = this.Message;
    }

    /// <inheritdoc/>
    public bool Equals(NatWarning? other) =>
        other is not null && Kind == other.Kind && Family == other.Family && Rule.Equals(other.Rule) && string.Equals(Message, other.Message, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Family, Rule);

    /// <summary>The <see cref="Message"/>.</summary>
    public override string ToString() => Message;

    /// <summary>The library's words for a warning: what is wrong and the call that fixes it (a tool adds its own command: nfnet's is DoctorFix.For(warning)).</summary>
    private static string Words(NatWarningKind kind, NatRule rule, NetfilterFamily family, string where) => kind switch
    {
        NatWarningKind.LoopbackTarget =>
            $"'{rule}' sends to a loopback address, which the kernel drops for packets from other hosts while net.ipv4.conf.all.route_localnet is 0 in {where}. RouteLocalnet can enable it, but read its CVE-2020-8558 warning first; a REDIRECT to a local port is usually the better choice.",
        NatWarningKind.ForwardingOff =>
            $"'{rule}' forwards to another host but {family} forwarding is off in {where}: nothing will pass. Enable it with Forwarding.Enable(NetfilterFamily.{family}, ns).",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "the library makes warnings of two kinds"),
    };
}
