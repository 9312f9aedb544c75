using System;
using Netfilter.Net.Cli.Infrastructure;

namespace Netfilter.Net.Cli.Demo;

/// <summary>
/// The demo's three throwaway namespaces joined by veth pairs, built with iproute2:
/// <code>
///   client 10.0.1.2 (eth0) ── (lan) 10.0.1.1  router  10.0.2.1 (wan) ── (eth0) 10.0.2.2 server
/// </code>
/// The veths are created directly inside the namespaces, so nothing appears on the host even
/// for a moment. The client routes through the router; the server has no route back to the
/// client's network (so the forward needs masquerade, as many real servers do). Dispose deletes
/// the namespaces, and with them every link, rule, conntrack entry and sysctl; it also runs on
/// Ctrl-C and at process exit, once.
/// </summary>
internal sealed class DemoTopology : IDisposable
{
    private readonly object _gate = new();
    private bool _deleted;

    private DemoTopology(string prefix)
    {
        Client = prefix + "-client";
        Router = prefix + "-router";
        Server = prefix + "-server";
        Console.CancelKeyPress += OnCancel;
        AppDomain.CurrentDomain.ProcessExit += OnExit;
    }

    public string Client { get; }

    public string Router { get; }

    public string Server { get; }

    public string[] All => new[] { Client, Router, Server };

    /// <summary>Builds the namespaces, or deletes whatever it made and throws.</summary>
    /// <exception cref="CommandFailedException">iproute2 is missing or refused (not root).</exception>
    public static DemoTopology Create()
    {
        var topology = new DemoTopology($"nfnet-demo-{Environment.ProcessId}");
        try
        {
            foreach (string name in topology.All)
            {
                Ip("netns", "add", name);
                Ip("-n", name, "link", "set", "lo", "up");
            }
            Ip("link", "add", "eth0", "netns", topology.Client, "type", "veth", "peer", "name", "lan", "netns", topology.Router);
            Ip("link", "add", "wan", "netns", topology.Router, "type", "veth", "peer", "name", "eth0", "netns", topology.Server);
            Up(topology.Client, "eth0", "10.0.1.2/24");
            Up(topology.Router, "lan", "10.0.1.1/24");
            Up(topology.Router, "wan", "10.0.2.1/24");
            Up(topology.Server, "eth0", "10.0.2.2/24");
            Ip("-n", topology.Client, "route", "add", "default", "via", "10.0.1.1");
            return topology;
        }
        catch
        {
            topology.Dispose();
            throw;
        }
    }

    private static void Up(string ns, string device, string address)
    {
        Ip("-n", ns, "addr", "add", address, "dev", device);
        Ip("-n", ns, "link", "set", device, "up");
    }

    private static void Ip(params string[] arguments)
    {
        ExternalTool.Result result = ExternalTool.Run("ip", arguments);
        if (result.ExitCode == 127)
        {
            throw new CommandFailedException("the demo builds its namespaces with iproute2, which is not installed: apt-get install iproute2");
        }
        if (result.ExitCode != 0)
        {
            string why = ErrorReporter.OneLine(result.Error);
            // Root without CAP_SYS_ADMIN (a NET_ADMIN-only container) cannot mount /run/netns.
            string privilege = why.Contains("Operation not permitted", StringComparison.Ordinal)
                ? "; creating network namespaces needs CAP_SYS_ADMIN (in a container: a privileged one)"
                : string.Empty;
            throw new CommandFailedException(!Privileges.IsRoot
                ? "the demo creates network namespaces, which needs root: run it with sudo"
                : $"'ip {string.Join(' ', arguments)}' failed: {why}{privilege}");
        }
    }

    private void OnCancel(object? sender, ConsoleCancelEventArgs e) => Dispose();

    private void OnExit(object? sender, EventArgs e) => Dispose();

    /// <summary>
    /// Deletes the namespaces, once. A second caller (the Ctrl-C handler and the command's
    /// finally can race) waits until the first has finished, so the process never exits with
    /// the deletion half done.
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_deleted)
            {
                return;
            }
            foreach (string name in All)
            {
                // Deleting a namespace also deletes its end of every veth, so the pairs go too.
                ExternalTool.Run("ip", "netns", "del", name);
            }
            _deleted = true;
        }
        Console.CancelKeyPress -= OnCancel;
        AppDomain.CurrentDomain.ProcessExit -= OnExit;
    }

    /// <summary>True when none of the namespaces exists any more.</summary>
    public bool IsGone()
    {
        foreach (string name in All)
        {
            if (System.IO.File.Exists("/run/netns/" + name))
            {
                return false;
            }
        }
        return true;
    }
}
