namespace Netfilter.Net.Nat;

/// <summary>Whose a table with a NatTable's name is, as its comment says (see <see cref="NatTableReport.Ownership"/>).</summary>
public enum NatTableOwnership
{
    /// <summary>No such table: the next change creates it.</summary>
    Missing,

    /// <summary>A NatTable's table in the current layout ("nfnet NAT table NAME layout 3").</summary>
    Owned,

    /// <summary>
    /// A NatTable's table in an earlier layout: 1 ("nfnet NAT table NAME", Netfilter.Net before rules
    /// owned their pieces) or 2 ("... layout 2", before rules counted what they translate). Its rules
    /// are read from its pieces' comments; the next change migrates it in one transaction.
    /// </summary>
    Legacy,

    /// <summary>Someone else's table (no NatTable marker), or a newer layout this version does not know: never changed.</summary>
    Foreign,
}
