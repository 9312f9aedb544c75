namespace Netfilter.Net.Diagnostics;

/// <summary>What a rule does with the packets it matches, as far as the path of a packet goes.</summary>
internal enum RuleActionKind
{
    /// <summary>Nothing that ends the rule's chain (counters, logs, marks): the next rule runs.</summary>
    Continue,
    /// <summary>accept: this base chain is done; the next base chain of the hook runs.</summary>
    Accept,
    /// <summary>drop: the packet is gone.</summary>
    Drop,
    /// <summary>reject: the packet is gone, the sender is told.</summary>
    Reject,
    /// <summary>dnat or redirect: the destination is rewritten; later NAT chains of the hook are skipped.</summary>
    DestinationNat,
    /// <summary>snat or masquerade.</summary>
    SourceNat,
    /// <summary>tproxy: the packet is handed to a local transparent socket.</summary>
    Tproxy,
    /// <summary>queue: the packet goes to user space.</summary>
    Queue,
    /// <summary>jump: run another chain, then come back.</summary>
    Jump,
    /// <summary>goto: run another chain, and do not come back.</summary>
    Goto,
    /// <summary>return: leave this chain.</summary>
    Return,
}

/// <summary>An action and, for jump/goto, the chain; <see cref="Text"/> is how a finding names it.</summary>
internal sealed record RuleAction(RuleActionKind Kind, string Text, string? Chain = null)
{
    public static RuleAction Continue { get; } = new(RuleActionKind.Continue, "continue");

    /// <summary>True for what takes a packet away before a later rule can see it.</summary>
    public bool Stops => Kind is RuleActionKind.Drop or RuleActionKind.Reject or RuleActionKind.Queue or RuleActionKind.DestinationNat or RuleActionKind.Tproxy;

    public override string ToString() => Text;
}
