using System;
using System.Threading;

namespace Netfilter.Net.Testing.Internal;

/// <summary>The fake kernel's own clock: it moves only when a test advances it, so expiry never depends on the wall clock.</summary>
internal sealed class FakeClock
{
    private long _ticks;

    public TimeSpan Now => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
