using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Netfilter.Net.Conntrack.Internal;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Conntrack;

public sealed partial class ConntrackClient
{
    /// <summary>Messages per sendmsg for bulk creates and deletes: large enough to amortize the system call, small enough to keep acks well inside the receive buffer.</summary>
    internal const int MessagesPerDatagram = 1024;

    // Every ack is an skb of its own, charged to the receive buffer at its truesize (about
    // 1 KiB for a 36-byte capped ack), not at its length: 1,024 acks overflow a default buffer.
    private const int ReceiveBytesPerAck = 2048;

    private void EnsureRoomForAcks(int count) => _connection.Transport.EnsureReceiveBuffer(count * ReceiveBytesPerAck + 256 * 1024);

    /// <summary>Reads the entry whose original tuple is <paramref name="original"/> (IPCTNL_MSG_CT_GET); null when there is none.</summary>
    /// <param name="original">The original-direction tuple, with ports (TCP, UDP, ...) or type, code and id (ICMP).</param>
    /// <param name="zone">The entry's zone.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="ArgumentException">The tuple lacks a field the kernel needs.</exception>
    /// <exception cref="NetlinkException">The kernel refused (other than "no such entry").</exception>
    public Task<ConntrackEntry?> GetAsync(ConntrackTuple original, ushort zone = 0, CancellationToken cancellationToken = default)
    {
        ConntrackValidation.RequireCompleteTuple(original, nameof(original));
        return ExclusiveAsync(async ct =>
        {
            using var writer = new NetlinkWriter(256);
            uint sequence = _connection.NextSequence();
            ConntrackRequests.Get(writer, sequence, original, zone);
            ConntrackEntry? found = null;
            List<NetlinkError> errors = await _connection.SendAcknowledgedAsync(writer.WrittenMemory, sequence, sequence, "get IPCTNL_MSG_CT_GET", (in NetlinkMessage m) =>
            {
                if (NfnlMessageType.SubsystemOf(m.Type) == NfnlSubsystem.Ctnetlink)
                {
                    found = ConntrackEntryDecoder.Decode(m);
                }
            }, ct).ConfigureAwait(false);
            if (errors.Count > 0 && errors[0].Errno != Errno.ENOENT)
            {
                throw Refused(errors[0], $"get conntrack entry {original}", sequence);
            }
            return errors.Count > 0 ? null : found;
        }, cancellationToken);
    }

    /// <summary>
    /// Creates <paramref name="entry"/> (IPCTNL_MSG_CT_NEW with NLM_F_CREATE|NLM_F_EXCL), as
    /// <c>conntrack -I</c> does. Used: the tuples, <see cref="ConntrackEntry.Timeout"/> (required),
    /// status, mark, zone, labels and the TCP/SCTP state. TCP entries get the window-tracking
    /// flags conntrack -I sets (be liberal, SACK permitted) unless the entry names its own.
    /// </summary>
    /// <exception cref="ArgumentException">The entry has no timeout, or a tuple lacks a field the kernel needs.</exception>
    /// <exception cref="NetlinkException">The kernel refused, e.g. <see cref="Errno.EEXIST"/> when the entry exists.</exception>
    public Task CreateAsync(ConntrackEntry entry, CancellationToken cancellationToken = default) =>
        CreateAsync(new[] { entry ?? throw new ArgumentNullException(nameof(entry)) }, cancellationToken);

    /// <summary>
    /// Creates many entries, up to <see cref="MessagesPerDatagram"/> per sendmsg, each
    /// acknowledged on its own. ctnetlink is not transactional: when the kernel refuses some,
    /// the others of the same datagram are created all the same; the exception then says how
    /// many were refused and names the first, and later datagrams are not sent.
    /// </summary>
    /// <returns>How many entries were created.</returns>
    /// <exception cref="ArgumentException">An entry has no timeout, or a tuple lacks a field the kernel needs (nothing was sent).</exception>
    /// <exception cref="NetlinkException">The kernel refused at least one entry.</exception>
    public Task<int> CreateAsync(IEnumerable<ConntrackEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var list = new List<ConntrackEntry>(entries);
        for (int i = 0; i < list.Count; i++)
        {
            ConntrackValidation.RequireCreatable(list[i], $"{nameof(entries)}[{i}]");
        }
        return ExclusiveAsync(async ct =>
        {
            int created = 0;
            EnsureRoomForAcks(Math.Min(list.Count, MessagesPerDatagram));
            using var writer = new NetlinkWriter(64 * 1024);
            for (int start = 0; start < list.Count; start += MessagesPerDatagram)
            {
                int count = Math.Min(MessagesPerDatagram, list.Count - start);
                writer.Reset();
                uint first = 0;
                for (int i = 0; i < count; i++)
                {
                    uint sequence = _connection.NextSequence();
                    first = i == 0 ? sequence : first;
                    ConntrackRequests.Create(writer, sequence, list[start + i]);
                }
                uint last = first + (uint)count - 1;
                List<NetlinkError> errors = await _connection.SendAcknowledgedAsync(writer.WrittenMemory, first, last, "create IPCTNL_MSG_CT_NEW", null, ct).ConfigureAwait(false);
                created += count - errors.Count;
                if (errors.Count > 0)
                {
                    NetlinkError e = errors[0];
                    int index = start + (int)(e.Request.Sequence - first);
                    throw new NetlinkException(e.Errno, $"create conntrack entry #{index} ({list[index].Original})", e.Request.Sequence, e.Message, e.Offset,
                        detail: $"{errors.Count} of {count} entries in this request were refused, {created} created in all");
                }
            }
            return created;
        }, cancellationToken);
    }

    /// <summary>Changes the entry whose original tuple is <paramref name="original"/> (IPCTNL_MSG_CT_NEW without NLM_F_CREATE), as <c>conntrack -U</c> does.</summary>
    /// <returns>False when there is no such entry.</returns>
    /// <exception cref="ArgumentException">Nothing to change, or the tuple lacks a field the kernel needs.</exception>
    /// <exception cref="NetlinkException">The kernel refused the change: EBUSY for status bits that cannot change; ENOSPC for labels on an entry without label storage (created without labels while no <c>ct label</c> rule existed in the namespace).</exception>
    public Task<bool> UpdateAsync(ConntrackTuple original, ConntrackUpdate update, ushort zone = 0, CancellationToken cancellationToken = default)
    {
        ConntrackValidation.RequireUpdate(original, update, nameof(original), nameof(update));
        return ExclusiveAsync(ct => SendOneAsync(w => ConntrackRequests.Update(w, _connection.NextSequence(), original, zone, update), $"update conntrack entry {original}", ct), cancellationToken);
    }

    /// <summary>Deletes the entry whose original tuple is <paramref name="original"/> (IPCTNL_MSG_CT_DELETE).</summary>
    /// <returns>False when there was no such entry.</returns>
    /// <exception cref="ArgumentException">The tuple lacks a field the kernel needs.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public Task<bool> DeleteAsync(ConntrackTuple original, ushort zone = 0, CancellationToken cancellationToken = default)
    {
        ConntrackValidation.RequireCompleteTuple(original, nameof(original));
        return ExclusiveAsync(ct => SendOneAsync(w => ConntrackRequests.Delete(w, _connection.NextSequence(), original, zone, null), $"delete conntrack entry {original}", ct), cancellationToken);
    }

    /// <summary>Deletes <paramref name="entry"/>, and only it: its id is sent too, so a newer connection with the same tuple survives.</summary>
    /// <returns>False when the entry is already gone.</returns>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public Task<bool> DeleteAsync(ConntrackEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ConntrackValidation.RequireCompleteTuple(entry.Original, nameof(entry));
        return ExclusiveAsync(ct => SendOneAsync(w => ConntrackRequests.Delete(w, _connection.NextSequence(), entry.Original, entry.Zone, entry.Id), $"delete conntrack entry {entry.Original}", ct), cancellationToken);
    }

    /// <summary>
    /// Deletes every entry that matches <paramref name="filter"/> and says how many: a dump
    /// (filtered by the kernel where it can) and then one delete per entry, by tuple and id,
    /// many per sendmsg. Entries that vanish meanwhile are not counted. <see cref="FlushAsync"/>
    /// is faster on kernels that flush by filter themselves, but cannot count.
    /// </summary>
    /// <returns>How many entries this call deleted.</returns>
    /// <exception cref="ArgumentException">The filter is empty (use <see cref="FlushAsync"/>) or could never match.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public Task<int> DeleteAsync(ConntrackFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        filter.Validate(nameof(filter));
        if (filter.IsEmpty)
        {
            throw new ArgumentException("an empty filter matches every entry: call FlushAsync() to empty the table", nameof(filter));
        }
        return ExclusiveAsync(ct => DeleteMatchingAsync(filter, ct), cancellationToken);
    }

    /// <summary>
    /// Deletes the entries of one forward, so that a changed DNAT target takes effect at once
    /// (UDP flows otherwise stick to the old target until they time out): every entry of
    /// <paramref name="protocol"/> whose original destination is <paramref name="port"/> on
    /// <paramref name="originalDestination"/> (any address when null).
    /// </summary>
    /// <returns>How many entries were deleted.</returns>
    /// <exception cref="ArgumentException">The protocol has no ports, or the address is not IPv4/IPv6.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is not 1–65535.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public Task<int> DeleteForwardAsync(ProtocolType protocol, IPAddress? originalDestination, int port, CancellationToken cancellationToken = default)
    {
        if (!ProtocolNames.HasPorts(protocol))
        {
            throw new ArgumentException($"a forward is of a protocol with ports (tcp, udp, sctp, dccp, udplite), not {ProtocolNames.Name(protocol)}", nameof(protocol));
        }
        if (originalDestination is not null && originalDestination.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"{originalDestination} is not an IPv4 or IPv6 address", nameof(originalDestination));
        }
        PortNumber.Validate(port, nameof(port));
        return DeleteAsync(new ConntrackFilter { Protocol = protocol, OriginalDestination = originalDestination, OriginalDestinationPort = port }, cancellationToken);
    }

    /// <summary>
    /// Flushes the table, or the entries that match <paramref name="filter"/>: one
    /// IPCTNL_MSG_CT_DELETE without a tuple when the running kernel applies every condition of
    /// the filter itself (mark, status, zone, family; tuple fields from Linux 6.12), otherwise
    /// a dump and one delete per matching entry. Never deletes an entry the filter does not match.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="filter"/> could never match.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public Task FlushAsync(ConntrackFilter? filter = null, CancellationToken cancellationToken = default)
    {
        filter?.Validate(nameof(filter));
        return ExclusiveAsync(async ct =>
        {
            var plan = ConntrackKernelFilter.Plan(filter, _features, forFlush: true);
            if (!plan.IsComplete)
            {
                ConntrackLog.FlushFallsBackToDelete(_logger ?? NullLogger.Instance);
                return await DeleteMatchingAsync(filter!, ct).ConfigureAwait(false);
            }
            using var writer = new NetlinkWriter(256);
            uint sequence = _connection.NextSequence();
            ConntrackRequests.Flush(writer, sequence, plan);
            List<NetlinkError> errors = await _connection.SendAcknowledgedAsync(writer.WrittenMemory, sequence, sequence, "flush IPCTNL_MSG_CT_DELETE", null, ct).ConfigureAwait(false);
            if (errors.Count == 0)
            {
                return 0;
            }
            if (plan.SendsFilter && errors[0].Errno is Errno.EOPNOTSUPP or Errno.EINVAL)
            {
                // A kernel without this flush filter refused it outright; nothing was deleted.
                ConntrackLog.KernelFilterRefused(_logger ?? NullLogger.Instance, "flush IPCTNL_MSG_CT_DELETE", errors[0].Errno);
                return await DeleteMatchingAsync(filter!, ct).ConfigureAwait(false);
            }
            throw Refused(errors[0], "flush conntrack table", sequence);
        }, cancellationToken);
    }

    /// <summary>Flushes the expectations of <paramref name="family"/> (IPCTNL_MSG_EXP_DELETE without a tuple, as <c>conntrack -F expect</c>).</summary>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public Task FlushExpectationsAsync(NetfilterFamily family = NetfilterFamily.Unspecified, CancellationToken cancellationToken = default)
    {
        CheckFamily(family, nameof(family));
        return ExclusiveAsync(async ct =>
        {
            using var writer = new NetlinkWriter(64);
            uint sequence = _connection.NextSequence();
            ConntrackRequests.FlushExpectations(writer, sequence, family);
            await _connection.ExecuteAsync(writer.WrittenMemory, sequence, "flush IPCTNL_MSG_EXP_DELETE", null, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>Dump (filtered), then delete each match by tuple and id, batched; returns how many were deleted.</summary>
    private async Task<int> DeleteMatchingAsync(ConntrackFilter filter, CancellationToken cancellationToken)
    {
        List<ConntrackEntry> matches = await ListCoreAsync(filter, cancellationToken).ConfigureAwait(false);
        int deleted = 0;
        EnsureRoomForAcks(Math.Min(matches.Count, MessagesPerDatagram));
        using var writer = new NetlinkWriter(64 * 1024);
        for (int start = 0; start < matches.Count; start += MessagesPerDatagram)
        {
            int count = Math.Min(MessagesPerDatagram, matches.Count - start);
            writer.Reset();
            uint first = 0;
            for (int i = 0; i < count; i++)
            {
                ConntrackEntry e = matches[start + i];
                uint sequence = _connection.NextSequence();
                first = i == 0 ? sequence : first;
                ConntrackRequests.Delete(writer, sequence, e.Original, e.Zone, e.Id);
            }
            List<NetlinkError> errors = await _connection.SendAcknowledgedAsync(writer.WrittenMemory, first, first + (uint)count - 1, "delete IPCTNL_MSG_CT_DELETE", null, cancellationToken).ConfigureAwait(false);
            foreach (NetlinkError error in errors)
            {
                // ENOENT: the entry expired or was deleted by someone else since the dump.
                if (error.Errno != Errno.ENOENT)
                {
                    ConntrackEntry e = matches[start + (int)(error.Request.Sequence - first)];
                    throw Refused(error, $"delete conntrack entry {e.Original}", error.Request.Sequence);
                }
            }
            deleted += count - errors.Count;
        }
        return deleted;
    }

    /// <summary>Sends one acknowledged request; false for ENOENT, an exception for any other refusal.</summary>
    private async Task<bool> SendOneAsync(Action<NetlinkWriter> build, string operation, CancellationToken cancellationToken)
    {
        using var writer = new NetlinkWriter(256);
        build(writer);
        uint sequence = NetlinkMessageHeader.Read(writer.WrittenSpan).Sequence;
        List<NetlinkError> errors = await _connection.SendAcknowledgedAsync(writer.WrittenMemory, sequence, sequence, operation, null, cancellationToken).ConfigureAwait(false);
        if (errors.Count == 0)
        {
            return true;
        }
        if (errors[0].Errno == Errno.ENOENT)
        {
            return false;
        }
        throw Refused(errors[0], operation, sequence);
    }

    private static NetlinkException Refused(in NetlinkError error, string operation, uint sequence) =>
        new(error.Errno, operation, sequence, error.Message, error.Offset);
}
