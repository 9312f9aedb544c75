using System.Collections.Generic;

namespace Netfilter.Net.Nat;

/// <summary>What <see cref="NatTable.ApplyAsync"/> changed.</summary>
public sealed class NatApplyResult
{
    internal NatApplyResult(IReadOnlyList<NatRule> added, IReadOnlyList<NatRule> removed, int unchanged, IReadOnlyList<string> warnings, int attempts)
    {
        Added = added;
        Removed = removed;
        Unchanged = unchanged;
        Warnings = warnings;
        Attempts = attempts;
    }

    /// <summary>Rules that were not in the kernel and now are.</summary>
    public IReadOnlyList<NatRule> Added { get; }

    /// <summary>Rules that were in the kernel and no longer are.</summary>
    public IReadOnlyList<NatRule> Removed { get; }

    /// <summary>Rules that were already there, untouched.</summary>
    public int Unchanged { get; }

    /// <summary>True when anything was sent to the kernel.</summary>
    public bool Changed => Added.Count > 0 || Removed.Count > 0;

    /// <summary>Things that will stop a rule from working, e.g. "IPv4 forwarding is off".</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>How many read-compute-commit rounds it took (more than 1 when someone else changed the ruleset meanwhile).</summary>
    public int Attempts { get; }
}
