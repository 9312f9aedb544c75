using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Netfilter.Net.Conntrack.Internal;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Conntrack;

public sealed partial class ConntrackClient
{
    /// <summary>
    /// Streams the entries of the table that match <paramref name="filter"/> (all when null).
    /// Memory stays bounded by one netlink datagram of entries, whatever the table size.
    /// </summary>
    /// <remarks>
    /// The kernel filters what it can (see <see cref="ConntrackFilter"/>) and the client checks
    /// every entry again. A stream cannot be retried once entries were handed out, so if the
    /// kernel marks the dump inconsistent (NLM_F_DUMP_INTR) the enumeration ends with
    /// <see cref="NetlinkDumpInterruptedException"/> after the last entry; <see cref="ListAsync"/>
    /// retries instead. The dump runs on a socket of its own: the client's other methods (for
    /// example <see cref="DeleteAsync(ConntrackEntry, CancellationToken)"/> on an entry just
    /// received) may be called while it is enumerated.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="filter"/> could never match (e.g. a mark outside its mask).</exception>
    /// <exception cref="NetlinkException">The kernel refused the dump (EPERM without CAP_NET_ADMIN).</exception>
    /// <exception cref="NetlinkDumpInterruptedException">The kernel flagged the dump inconsistent.</exception>
    public IAsyncEnumerable<ConntrackEntry> DumpAsync(ConntrackFilter? filter = null, CancellationToken cancellationToken = default)
    {
        filter?.Validate(nameof(filter));
        return DumpCoreAsync(filter, zeroCounters: false, cancellationToken);
    }

    /// <summary>
    /// Like <see cref="DumpAsync"/>, and the kernel zeroes the counters of every entry it dumps
    /// (IPCTNL_MSG_CT_GET_CTRZERO), so each call returns the traffic since the previous one.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="filter"/> could never match.</exception>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    public IAsyncEnumerable<ConntrackEntry> DumpAndZeroCountersAsync(ConntrackFilter? filter = null, CancellationToken cancellationToken = default)
    {
        filter?.Validate(nameof(filter));
        return DumpCoreAsync(filter, zeroCounters: true, cancellationToken);
    }

    /// <summary>
    /// Reads every matching entry into a list. A dump the kernel marks inconsistent
    /// (NLM_F_DUMP_INTR) is repeated up to <see cref="DumpAttempts"/> times; never a partial answer.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="filter"/> could never match.</exception>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    /// <exception cref="NetlinkDumpInterruptedException">Every attempt was inconsistent.</exception>
    public Task<IReadOnlyList<ConntrackEntry>> ListAsync(ConntrackFilter? filter = null, CancellationToken cancellationToken = default)
    {
        filter?.Validate(nameof(filter));
        return ExclusiveAsync<IReadOnlyList<ConntrackEntry>>(async ct => await ListCoreAsync(filter, ct).ConfigureAwait(false), cancellationToken);
    }

    /// <summary>Streams the expectations of <paramref name="family"/> (IPv4 and IPv6 when <see cref="NetfilterFamily.Unspecified"/>).</summary>
    /// <remarks>The dump runs on a socket of its own: the client's other methods may be called while it is enumerated.</remarks>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    public IAsyncEnumerable<ConntrackExpectation> DumpExpectationsAsync(NetfilterFamily family = NetfilterFamily.Unspecified, CancellationToken cancellationToken = default)
    {
        CheckFamily(family, nameof(family));
        return DumpExpectationsCoreAsync(family, cancellationToken);
    }

    private async IAsyncEnumerable<ConntrackExpectation> DumpExpectationsCoreAsync(NetfilterFamily family, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using StreamConnections.Lease lease = await _streams.LeaseAsync(cancellationToken).ConfigureAwait(false);
        NetlinkConnection connection = lease.Connection;
        using var writer = new NetlinkWriter(64);
        uint sequence = connection.NextSequence();
        ConntrackRequests.DumpExpectations(writer, sequence, family);
        await foreach (ConntrackExpectation e in connection.DumpAsync(writer.WrittenMemory, sequence, "dump IPCTNL_MSG_EXP_GET", static (in NetlinkMessage m, out ConntrackExpectation x) =>
        {
            x = ConntrackExpectationDecoder.Decode(m);
            return true;
        }, cancellationToken).ConfigureAwait(false))
        {
            yield return e;
        }
    }

    private async IAsyncEnumerable<ConntrackEntry> DumpCoreAsync(ConntrackFilter? filter, bool zeroCounters, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using StreamConnections.Lease lease = await _streams.LeaseAsync(cancellationToken).ConfigureAwait(false);
        NetlinkConnection connection = lease.Connection;
        string operation = zeroCounters ? "dump IPCTNL_MSG_CT_GET_CTRZERO" : "dump IPCTNL_MSG_CT_GET";
        MessageDecoder<ConntrackEntry> decoder = EntryDecoder(filter);
        ConntrackKernelFeatures features = _features;
        while (true)
        {
            var plan = ConntrackKernelFilter.Plan(filter, features, forFlush: false);
            using var writer = new NetlinkWriter(256);
            uint sequence = connection.NextSequence();
            ConntrackRequests.Dump(writer, sequence, plan, zeroCounters);
            IAsyncEnumerator<ConntrackEntry> entries = connection.DumpAsync(writer.WrittenMemory, sequence, operation, decoder, cancellationToken).GetAsyncEnumerator(cancellationToken);
            bool retryWithoutKernelFilter = false;
            try
            {
                bool first = true;
                while (true)
                {
                    bool more;
                    try
                    {
                        more = await entries.MoveNextAsync().ConfigureAwait(false);
                    }
                    catch (NetlinkException e) when (first && CanRetryWithoutKernelFilter(e, plan, features))
                    {
                        // The kernel refuses a filter attribute before sending anything
                        // (ctnetlink_start); the same filter then runs client-side only.
                        ConntrackLog.KernelFilterRefused(_logger ?? NullLogger.Instance, operation, e.Errno);
                        retryWithoutKernelFilter = true;
                        break;
                    }
                    first = false;
                    if (!more)
                    {
                        break;
                    }
                    yield return entries.Current;
                }
            }
            finally
            {
                await entries.DisposeAsync().ConfigureAwait(false);
            }
            if (!retryWithoutKernelFilter)
            {
                yield break;
            }
            features = ConntrackKernelFeatures.None;
        }
    }

    private async Task<List<ConntrackEntry>> ListCoreAsync(ConntrackFilter? filter, CancellationToken cancellationToken)
    {
        MessageDecoder<ConntrackEntry> decoder = EntryDecoder(filter);
        ConntrackKernelFeatures features = _features;
        while (true)
        {
            var plan = ConntrackKernelFilter.Plan(filter, features, forFlush: false);
            using var writer = new NetlinkWriter(256);
            try
            {
                return await _connection.DumpAllAsync(sequence =>
                {
                    writer.Reset();
                    ConntrackRequests.Dump(writer, sequence, plan, zeroCounters: false);
                    return writer.WrittenMemory;
                }, "dump IPCTNL_MSG_CT_GET", decoder, DumpAttempts, cancellationToken).ConfigureAwait(false);
            }
            catch (NetlinkException e) when (e is not NetlinkDumpInterruptedException && CanRetryWithoutKernelFilter(e, plan, features))
            {
                ConntrackLog.KernelFilterRefused(_logger ?? NullLogger.Instance, "dump IPCTNL_MSG_CT_GET", e.Errno);
                features = ConntrackKernelFeatures.None;
            }
        }
    }

    private static bool CanRetryWithoutKernelFilter(NetlinkException e, in ConntrackKernelFilter plan, ConntrackKernelFeatures features) =>
        features != ConntrackKernelFeatures.None && plan.SendsFilter && e.Errno is Errno.EOPNOTSUPP or Errno.EINVAL;

    // Entries that fail the client-side check are dropped while decoding, so they never
    // occupy the per-datagram batch.
    private static MessageDecoder<ConntrackEntry> EntryDecoder(ConntrackFilter? filter)
    {
        if (filter is null || filter.IsEmpty)
        {
            return static (in NetlinkMessage m, out ConntrackEntry e) =>
            {
                e = ConntrackEntryDecoder.Decode(m);
                return true;
            };
        }
        return (in NetlinkMessage m, out ConntrackEntry e) =>
        {
            e = ConntrackEntryDecoder.Decode(m);
            return filter.Matches(e);
        };
    }

    private static void CheckFamily(NetfilterFamily family, string parameterName)
    {
        if (family is not (NetfilterFamily.Unspecified or NetfilterFamily.IPv4 or NetfilterFamily.IPv6))
        {
            throw new ArgumentException($"conntrack families are Unspecified, IPv4 and IPv6, not {family}", parameterName);
        }
    }
}
