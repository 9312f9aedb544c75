namespace Netfilter.Net.Nat;

/// <summary>The kind of a typed NAT rule: the first part of its <see cref="NatRuleIdentity"/>.</summary>
public enum NatRuleKind
{
    /// <summary><see cref="RedirectRule"/>: to a local port (canonical text "redirect ...").</summary>
    Redirect,

    /// <summary><see cref="DnatRule"/>: a forward to another host ("dnat ...", <c>nfnet forward</c>).</summary>
    Dnat,

    /// <summary><see cref="SnatRule"/>: a fixed new source address ("snat ...").</summary>
    Snat,

    /// <summary><see cref="MasqueradeRule"/>: the output interface's address as the new source ("masquerade ...").</summary>
    Masquerade,

    /// <summary><see cref="TproxyRule"/>: to a transparent local socket ("tproxy ...").</summary>
    Tproxy,
}
