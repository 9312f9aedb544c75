using System;
using System.Collections.Generic;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.NfTables.Internal.Operations;

namespace Netfilter.Net.NfTables;

public sealed partial class NfTablesClient
{
    // The tables this client's socket owns (NFT_TABLE_F_OWNER without NFT_TABLE_F_PERSIST), as its
    // committed transactions made and deleted them. Nobody else can delete an owned table.
    private readonly HashSet<(NetfilterFamily Family, string Name)> _ownedTables = new();

    /// <summary>Follows the owned tables that a committed transaction created or deleted.</summary>
    private void TrackOwnedTables(IReadOnlyList<Operation> operations)
    {
        lock (_ownedTables)
        {
            foreach (Operation operation in operations)
            {
                if (operation is not TableOperation table)
                {
                    continue;
                }
                var key = (table.Table.Family, table.Table.Name);
                if (table.Kind.Type == NfTablesMessageType.NewTable && (table.Table.Flags & (TableFlags.Owner | TableFlags.Persist)) == TableFlags.Owner)
                {
                    _ownedTables.Add(key);
                }
                else if (table.Kind.Type is NfTablesMessageType.DelTable or NfTablesMessageType.DestroyTable)
                {
                    _ownedTables.Remove(key);
                }
            }
        }
    }

    /// <summary>
    /// Deletes the owned tables before the socket is closed. The kernel deletes them itself when
    /// it releases the owning socket, but that is at the last close of the socket's file, and a
    /// child process being started by any thread of this process (between fork and exec) holds a
    /// copy of every fd, CLOEXEC ones too: closing ours then leaves the tables in place until the
    /// child execs. Deleting them here makes them gone when Dispose returns; nfnetlink runs the
    /// batch inside sendmsg, so there is no answer to wait for. The kernel's release stays the net
    /// for a process that dies without disposing.
    /// </summary>
    private void DeleteOwnedTables()
    {
        (NetfilterFamily Family, string Name)[] owned;
        lock (_ownedTables)
        {
            owned = new (NetfilterFamily, string)[_ownedTables.Count];
            _ownedTables.CopyTo(owned);
            _ownedTables.Clear();
        }
        foreach ((NetfilterFamily family, string name) in owned)
        {
            // One batch per table: a table that is already gone (ENOENT) must not keep the others.
            try
            {
                using var batch = new NfnetlinkBatch(_connection, NfnlSubsystem.NfTables, 1024, acknowledgeEach: false);
                new TableOperation(new Table(family, name), TableOperation.Delete).Write(batch);
                batch.SendWithoutAnswers();
            }
            catch (Exception e) when (e is NetlinkException or ObjectDisposedException)
            {
                // The close that follows releases the socket and the kernel deletes the table then.
            }
        }
    }
}
