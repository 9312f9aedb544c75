using Microsoft.Extensions.Logging;

namespace Netfilter.Net;

/// <summary>
/// The log categories the library writes under when it is given an <see cref="ILoggerFactory"/>
/// (<see cref="Nat.NatTableOptions.LoggerFactory"/>, the <see cref="NfTables.NfTablesClient"/> and
/// <see cref="Conntrack.ConntrackClient"/> constructors that take one). Filter them like any other
/// category, e.g. <c>"Logging": { "LogLevel": { "Netfilter.Net.Netlink": "Warning" } }</c>, or all at
/// once with the prefix <c>Netfilter.Net</c>.
/// </summary>
/// <remarks>
/// The constructors and options that take one <see cref="ILogger"/> are kept: that logger then
/// receives every component's messages under its own single category, which suits a small
/// program. Given a factory, each component logs under its own category below.
/// </remarks>
public static class NetfilterLogCategories
{
    /// <summary>What a NAT table changes (Information), its warnings and retries.</summary>
    public const string Nat = "Netfilter.Net.Nat";

    /// <summary>Commits of nftables transactions (Information) and disturbed set-element walks.</summary>
    public const string NfTables = "Netfilter.Net.NfTables";

    /// <summary>Netlink traffic (Trace) and interrupted dumps (Debug), whichever client sent it.</summary>
    public const string Netlink = "Netfilter.Net.Netlink";

    /// <summary>Conntrack fallbacks (Debug) and lost events.</summary>
    public const string Conntrack = "Netfilter.Net.Conntrack";

    /// <summary>A component's logger: from <paramref name="factory"/> under <paramref name="category"/> when there is one, else <paramref name="single"/>.</summary>
    internal static ILogger? For(ILoggerFactory? factory, ILogger? single, string category) =>
        factory is null ? single : factory.CreateLogger(category);
}
