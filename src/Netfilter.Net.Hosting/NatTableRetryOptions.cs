using System;

namespace Netfilter.Net.Hosting;

/// <summary>
/// How the reconciler retries an apply that failed (the kernel refused, the namespace is not there
/// yet, no CAP_NET_ADMIN...): after <see cref="InitialDelay"/>, then twice as long each time up to
/// <see cref="MaxDelay"/>, each delay varied by ±20 % (jitter, so many hosts do not retry in step),
/// at most <see cref="MaxAttempts"/> tries in all. Then it waits for the next configuration change
/// (or the next <see cref="HostedNatTableOptions.ReconcileInterval"/>). A change always starts afresh.
/// </summary>
public sealed class NatTableRetryOptions
{
    /// <summary>The delay before the first retry. Default 1 s.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two tries. Default 1 min.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Tries of one configuration, the first included. Default 8 (with the default delays, the last about 2 min after the first).</summary>
    public int MaxAttempts { get; set; } = 8;
}
