namespace Netfilter.Net.NfTables;

/// <summary>What an <see cref="NfTablesEvent"/> reports.</summary>
public enum NfTablesEventKind
{
    /// <summary>NFT_MSG_NEWTABLE: a table was added or updated; see <see cref="NfTablesEvent.Table"/>.</summary>
    NewTable,

    /// <summary>NFT_MSG_DELTABLE: a table was deleted (or destroyed).</summary>
    DeleteTable,

    /// <summary>NFT_MSG_NEWCHAIN: a chain was added or updated; see <see cref="NfTablesEvent.Chain"/>.</summary>
    NewChain,

    /// <summary>NFT_MSG_DELCHAIN: a chain was deleted.</summary>
    DeleteChain,

    /// <summary>NFT_MSG_NEWRULE: a rule was added, inserted or replaced; see <see cref="NfTablesEvent.Rule"/> (with its handle).</summary>
    NewRule,

    /// <summary>NFT_MSG_DELRULE: a rule was deleted.</summary>
    DeleteRule,

    /// <summary>NFT_MSG_NEWSET: a set or map was added; see <see cref="NfTablesEvent.Set"/>.</summary>
    NewSet,

    /// <summary>NFT_MSG_DELSET: a set or map was deleted.</summary>
    DeleteSet,

    /// <summary>NFT_MSG_NEWSETELEM: elements were added; see <see cref="NfTablesEvent.Elements"/>.</summary>
    NewElements,

    /// <summary>NFT_MSG_DELSETELEM: elements were deleted.</summary>
    DeleteElements,

    /// <summary>
    /// NFT_MSG_NEWGEN: a transaction was committed, and the events before this one (since the
    /// previous generation) were its changes; see <see cref="NfTablesEvent.Generation"/>, which
    /// also names the process that committed it.
    /// </summary>
    NewGeneration,

    /// <summary>A message this library does not model (objects, flowtables, ...): <see cref="NfTablesEvent.MessageType"/> and <see cref="NfTablesEvent.Payload"/> keep it whole.</summary>
    Other,

    /// <summary>
    /// The kernel dropped events because the monitor's receive buffer was full (ENOBUFS): what
    /// follows is correct, but changes are missing. Re-read the ruleset to resynchronize.
    /// </summary>
    EventsLost,
}
