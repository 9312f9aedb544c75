using System.Collections.Generic;

namespace Netfilter.Net.Nat;

/// <summary>A typed rule only part of which is in the kernel: some pieces missing, or pieces carrying its comment that it does not compile to.</summary>
public sealed class NatPartialRule
{
    internal NatPartialRule(NatRule rule, IReadOnlyList<string> problems)
    {
        Rule = rule;
        Problems = problems;
    }

    /// <summary>The rule its pieces' comment names.</summary>
    public NatRule Rule { get; }

    /// <summary>What is missing or unexpected, in nft's words, e.g. <c>missing element tcp . 2222 . 10.0.2.2 . 22 in set masq4</c>.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary><c>RULE (problem; problem)</c>.</summary>
    public override string ToString() => $"{Rule} ({string.Join("; ", Problems)})";
}
