using System;

namespace Netfilter.Net.Netlink;

/// <summary>
/// A nested attribute being written. Ending it (Dispose) patches nla_len to cover everything
/// written inside; <see cref="Cancel"/> removes it (libmnl mnl_attr_nest_cancel).
/// </summary>
internal struct NetlinkNest : IDisposable
{
    private readonly NetlinkWriter? _writer;
    private readonly int _start;
    private bool _done;

    internal NetlinkNest(NetlinkWriter writer, int start)
    {
        _writer = writer;
        _start = start;
        _done = false;
    }

    /// <summary>Removes the nest and all it contains.</summary>
    public void Cancel()
    {
        if (!_done && _writer is not null)
        {
            _writer.CancelNested(_start);
            _done = true;
        }
    }

    public void Dispose()
    {
        if (!_done && _writer is not null)
        {
            _writer.EndNested(_start);
            _done = true;
        }
    }
}
