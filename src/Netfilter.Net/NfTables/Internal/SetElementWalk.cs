using System.Collections.Generic;

namespace Netfilter.Net.NfTables.Internal;

/// <summary>
/// Checks one pass of a set-element dump for a disturbed walk. The kernel dumps a set in
/// rounds, one datagram each, and every round walks the set again from its start, skipping as
/// many elements as were already sent (nf_tables_dump_set: <c>iter.skip = cb-&gt;args[0]</c>).
/// For a hash set that is being resized (the rhashtable's deferred worker, after a large
/// insert) the order changes between rounds, so the skip leaves out some elements and repeats
/// others; the count is right, the content is not. With the set unchanged, every repeated
/// element means one element skipped, so a pass without repeats is complete.
/// </summary>
internal sealed class SetElementWalk
{
    private readonly HashSet<Identity> _seen = new();

    /// <summary>How many elements of this pass were already seen in it.</summary>
    public int Repeats { get; private set; }

    /// <summary>Records <paramref name="element"/>; false when this pass already had it (a repeat).</summary>
    public bool Add(SetElement element)
    {
        if (_seen.Add(Identity.Of(element)))
        {
            return true;
        }
        Repeats++;
        return false;
    }

    /// <summary>The identities seen so far; the walk must not be used after this.</summary>
    public HashSet<Identity> SeenIdentities() => _seen;

    /// <summary>
    /// What makes an element itself: its key, the end of its range (concatenated intervals), and
    /// whether it is an interval's end marker (an interval set holds the start and the end of a
    /// range as two elements, and an end may share its key with the start of the next range).
    /// A catch-all element has no key; there is at most one per set.
    /// </summary>
    internal readonly record struct Identity(NftData? Key, NftData? KeyEnd, bool IntervalEnd, bool CatchAll)
    {
        public static Identity Of(SetElement element)
        {
            SetElementFlags flags = element.Flags ?? SetElementFlags.None;
            bool catchAll = (flags & SetElementFlags.CatchAll) != 0;
            return new Identity(catchAll ? null : element.Key, element.KeyEnd, (flags & SetElementFlags.IntervalEnd) != 0, catchAll);
        }
    }
}
