using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace Netfilter.Net.Netlink;

/// <summary>
/// Connections for a client's streaming dumps, opened on demand beside its request connection.
/// A dump that is being enumerated occupies its socket until NLMSG_DONE; on a socket of its
/// own it never blocks the client's other calls, so a consumer may call the client (or start
/// another dump) from inside its <c>await foreach</c>. A few idle connections are kept for reuse.
/// </summary>
internal sealed class StreamConnections : IDisposable
{
    /// <summary>Idle connections kept for the next dump; more are closed when returned.</summary>
    internal const int MaxIdle = 4;

    private readonly Func<NetlinkConnection>? _open;
    private readonly NetlinkConnection _requests;
    private readonly SemaphoreSlim _gate;
    private readonly ConcurrentQueue<NetlinkConnection> _idle = new();
    private int _idleCount;
    private volatile bool _disposed;

    /// <param name="open">Opens a connection for one dump; null: dumps take <paramref name="requests"/> under <paramref name="gate"/> (a client over one scripted transport, in unit tests).</param>
    /// <param name="requests">The client's request connection.</param>
    /// <param name="gate">The client's gate that serializes requests on <paramref name="requests"/>.</param>
    public StreamConnections(Func<NetlinkConnection>? open, NetlinkConnection requests, SemaphoreSlim gate)
    {
        _open = open;
        _requests = requests;
        _gate = gate;
    }

    /// <summary>A connection for one dump, held until the lease is disposed.</summary>
    public async ValueTask<Lease> LeaseAsync(CancellationToken cancellationToken)
    {
        if (_open is not null)
        {
            try
            {
                return new Lease(this, Rent(), pooled: true);
            }
            catch (ObjectDisposedException) when (!_disposed)
            {
                // The client's NetworkNamespace was disposed, so no socket can be opened in it
                // any more: fall back to the request socket, one dump at a time as before.
            }
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Lease(this, _requests, pooled: false);
    }

    /// <summary>An idle connection, or a new one (opening a socket may enter the client's namespace on a short-lived thread).</summary>
    private NetlinkConnection Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryDequeue(out NetlinkConnection? connection))
        {
            Interlocked.Decrement(ref _idleCount);
            return connection;
        }
        return _open!();
    }

    /// <summary>One dump's hold on a connection.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly StreamConnections _owner;
        private readonly bool _pooled;
        private int _released;

        internal Lease(StreamConnections owner, NetlinkConnection connection, bool pooled)
        {
            _owner = owner;
            Connection = connection;
            _pooled = pooled;
        }

        public NetlinkConnection Connection { get; }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }
            if (_pooled)
            {
                _owner.Return(Connection);
            }
            else
            {
                _owner._gate.Release();
            }
        }
    }

    /// <summary>
    /// Gives <paramref name="connection"/> back. One whose dump was abandoned part-way (still
    /// holding the kernel's unread tail) is closed rather than drained.
    /// </summary>
    private void Return(NetlinkConnection connection)
    {
        if (!_disposed && connection.IsClean)
        {
            if (Interlocked.Increment(ref _idleCount) <= MaxIdle)
            {
                _idle.Enqueue(connection);
                if (_disposed)
                {
                    // Dispose ran meanwhile and may have missed this one.
                    CloseIdle();
                }
                return;
            }
            Interlocked.Decrement(ref _idleCount);
        }
        connection.Dispose();
    }

    /// <summary>Closes the idle connections; those still in use close when returned.</summary>
    public void Dispose()
    {
        _disposed = true;
        CloseIdle();
    }

    private void CloseIdle()
    {
        while (_idle.TryDequeue(out NetlinkConnection? connection))
        {
            Interlocked.Decrement(ref _idleCount);
            connection.Dispose();
        }
    }
}
