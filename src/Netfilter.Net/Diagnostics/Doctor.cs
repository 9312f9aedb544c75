using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// Explains why a forward or redirect does not work (DESIGN.md S10). It reads a namespace (all of
/// it read-only): the nftables ruleset, the typed rules of a NAT table, IP forwarding and
/// route_localnet, the routes toward forward targets and the listening sockets, and returns
/// findings, each with what is wrong, why it matters and the command or call that fixes it.
/// </summary>
/// <remarks>
/// <para>The checks: nftables missing and CAP_NET_ADMIN missing (as findings, not exceptions);
/// the table, whether NatTable made it, its layout, and drift from its typed rules (partial rules,
/// pieces added by hand, stale hairpin rules, layout 1); IP forwarding off while a forward points at another host, or no route
/// to it; no masquerade or SNAT for a forward whose server may not route back through this host;
/// route_localnet for a forward to 127.0.0.0/8 (with the CVE-2020-8558 warning) and forwards to
/// ::1; nothing listening where a redirect, a local forward or a tproxy rule delivers (over
/// NETLINK_SOCK_DIAG); a public port that a local process already holds; a rule shadowed by an
/// earlier rule, chain or table (the whole ruleset is walked, iptables-nft tables included); and
/// translated connections dropped by a filter chain on input or forward.</para>
/// <para>Whether a server routes its replies back through this host cannot be read from here, so
/// that check is a heuristic: a forward to another host is fine when it masquerades, when a
/// masquerade or SNAT rule (ours, or another table's postrouting chain) covers the interface the
/// route to the target leaves through, or when conntrack has seen replies to its connections;
/// when conntrack holds only unreplied ones it is an error, and with no connections to judge by,
/// a warning.</para>
/// <para>A correct setup gives no warning or error. Findings are sorted errors first.</para>
/// </remarks>
/// <example>
/// <code>
/// var findings = await Doctor.RunAsync(new DoctorOptions { Namespace = NetworkNamespace.FromName("router"), Port = 2222 });
/// foreach (DoctorFinding f in findings) Console.WriteLine(f);
/// </code>
/// </example>
public sealed class Doctor : IDoctor
{
    /// <inheritdoc />
    /// <remarks>The same as <see cref="RunAsync"/>; this instance form serves code that takes an <see cref="IDoctor"/>.</remarks>
    public Task<IReadOnlyList<DoctorFinding>> DiagnoseAsync(DoctorOptions options, CancellationToken cancellationToken = default) =>
        RunAsync(options, cancellationToken);

    /// <summary>Examines the namespace and table of <paramref name="options"/>.</summary>
    /// <param name="options">Namespace, table and, optionally, the one public port to examine.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The findings, errors first; empty when nothing is wrong.</returns>
    /// <exception cref="ArgumentException">The table name or the port is not valid.</exception>
    /// <exception cref="NetfilterException">The kernel failed in a way that is not a finding (for example a timeout).</exception>
    public static async Task<IReadOnlyList<DoctorFinding>> RunAsync(DoctorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        using var sources = new KernelDoctorSources(options.Namespace);
        return await ExamineAsync(options, sources, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Examines what <paramref name="sources"/> read: the kernel, or Netfilter.Net.Testing's in-memory one.</summary>
    internal static async Task<IReadOnlyList<DoctorFinding>> ExamineAsync(DoctorOptions options, IDoctorSources sources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        NetworkNamespace? ns = options.Namespace;
        string where = ns is null || ns.IsCurrent ? "this namespace" : ns.Description;
        (Ruleset? ruleset, DoctorFinding? problem) = await sources.ReadRulesetAsync(where, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return new[] { problem };
        }
        DoctorFacts facts = await DoctorFactsReader.ReadAsync(options, ruleset!, sources, cancellationToken).ConfigureAwait(false);
        return Diagnose(facts);
    }

    /// <summary>Runs every check over facts already gathered (unit tests build the facts by hand).</summary>
    internal static IReadOnlyList<DoctorFinding> Diagnose(DoctorFacts facts)
    {
        var findings = new List<DoctorFinding>();
        foreach (string what in facts.Unreadable)
        {
            findings.Add(new DoctorFinding(DoctorSeverity.Info, DoctorCodes.CheckSkipped,
                $"could not read {what}",
                "The checks that need it were skipped, so this report may be incomplete.",
                "Run the doctor as root in the namespace, or check that the interface or key exists."));
        }
        if (TableCheck.Run(facts, findings))
        {
            DriftCheck.Run(facts, findings);
            ForwardingCheck.Run(facts, findings);
            ReturnPathCheck.Run(facts, findings);
            RouteLocalnetCheck.Run(facts, findings);
            ListeningCheck.Run(facts, findings);
            PortInUseCheck.Run(facts, findings);
            ShadowCheck.Run(facts, findings);
            DeliveryCheck.Run(facts, findings);
        }
        // Stable: within a severity, the order of the checks above.
        return findings.OrderByDescending(f => f.Severity).ToList();
    }

    private static void Validate(DoctorOptions options)
    {
        string table = options.Table;
        if (!NatTableName.IsValid(table))
        {
            throw new ArgumentException($"DoctorOptions.Table must be a NAT table name (1 to 64 letters, digits, '_' or '-'), not {InputText.Quote(table)}", nameof(options));
        }
        if (options.Port is int port && (port < 1 || port > 65535))
        {
            throw new ArgumentException($"DoctorOptions.Port must be 1-65535, not {port}", nameof(options));
        }
    }
}
