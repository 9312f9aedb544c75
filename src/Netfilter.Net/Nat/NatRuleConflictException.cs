using System;

namespace Netfilter.Net.Nat;

/// <summary>
/// A typed rule cannot be added to, or removed from, a <see cref="NatTable"/> because another
/// rule (or a piece someone added by hand) holds the same packets. Nothing was sent. The message
/// names what is there; <see cref="Holder"/> is that rule when it is a typed rule.
/// </summary>
/// <remarks>
/// <see cref="NatTable.AddAsync"/> throws it when the new rule's claim intersects a rule the table
/// holds (also one with the same identity but other options: remove it first, or use
/// <see cref="NatTable.ApplyAsync"/> to replace it). <see cref="NatTable.RemoveAsync"/> throws it
/// when no rule has the given rule's identity but another rule claims some of the same packets:
/// the rule that is there is not the one named, so nothing is removed.
/// </remarks>
public sealed class NatRuleConflictException : InvalidOperationException
{
    internal NatRuleConflictException(string table, NatRule rule, NatRule? holder, string holderText, string reason, bool removing)
        : base(removing
            ? $"table inet {table} holds no rule '{rule}' ({rule.Identity}): {holderText} is there and {reason}; nothing was removed"
            : $"cannot add '{rule}' to table inet {table}: {holderText} is there and {reason}; remove it first{(holder is not null && holder.Identity.Equals(rule.Identity) ? " (or replace it with ApplyAsync)" : string.Empty)}")
    {
        Table = table;
        Rule = rule;
        Holder = holder;
        HolderText = holderText;
        Reason = reason;
    }

    /// <summary>The NAT table's name.</summary>
    public string Table { get; }

    /// <summary>The rule that was to be added or removed.</summary>
    public NatRule Rule { get; }

    /// <summary>The typed rule that holds the packets (whole or partial in the kernel); null when it is a piece without a typed rule (added by hand).</summary>
    public NatRule? Holder { get; }

    /// <summary>What holds the packets, in words: <c>'dnat tcp 2222 to 10.0.2.2:22'</c>, or a foreign piece as nft shows it.</summary>
    public string HolderText { get; }

    /// <summary>Why they collide, a clause that follows "is there and": "both claim tcp port 2222 of ipv4 connections (prerouting)", "it claims ...".</summary>
    public string Reason { get; }
}
