using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Netfilter.Net.Conntrack;

/// <summary>
/// The conntrack table as a service uses it: read, watch, edit. <see cref="ConntrackClient"/>
/// implements it over ctnetlink; <c>Netfilter.Net.Testing</c> implements it in memory with entries a
/// test seeds, and events, so code written against it can be tested without root. The methods
/// mean exactly what their <see cref="ConntrackClient"/> counterparts document.
/// </summary>
public interface IConntrackClient : IDisposable
{
    /// <summary>Streams the entries that match <paramref name="filter"/> (all when null), with bounded memory.</summary>
    IAsyncEnumerable<ConntrackEntry> DumpAsync(ConntrackFilter? filter = null, CancellationToken cancellationToken = default);

    /// <summary>The entries that match <paramref name="filter"/>, as one list.</summary>
    Task<IReadOnlyList<ConntrackEntry>> ListAsync(ConntrackFilter? filter = null, CancellationToken cancellationToken = default);

    /// <summary>The entry whose original tuple is <paramref name="original"/>; null when there is none.</summary>
    Task<ConntrackEntry?> GetAsync(ConntrackTuple original, ushort zone = 0, CancellationToken cancellationToken = default);

    /// <summary>Creates an entry.</summary>
    Task CreateAsync(ConntrackEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Changes the entry whose original tuple is <paramref name="original"/>; false when there is none.</summary>
    Task<bool> UpdateAsync(ConntrackTuple original, ConntrackUpdate update, ushort zone = 0, CancellationToken cancellationToken = default);

    /// <summary>Deletes <paramref name="entry"/> and only it; false when it was already gone.</summary>
    Task<bool> DeleteAsync(ConntrackEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Deletes every entry that matches <paramref name="filter"/>; returns how many.</summary>
    Task<int> DeleteAsync(ConntrackFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Deletes every entry (that matches <paramref name="filter"/>, when given).</summary>
    Task FlushAsync(ConntrackFilter? filter = null, CancellationToken cancellationToken = default);

    /// <summary>A snapshot of the table, then its changes as events, with Lost items and resynchronisation (see <see cref="ConntrackClient.WatchAsync"/>).</summary>
    IAsyncEnumerable<ConntrackEvent> WatchAsync(ConntrackEventOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The number of entries and the table limit.</summary>
    Task<ConntrackStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default);
}
