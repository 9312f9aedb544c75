using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net;
using Netfilter.Net.Nat;
using TransparentProxy;

// A transparent TCP proxy (DESIGN.md S8): a REDIRECT sends connections for --port to this
// process on --listen-port; for each one it reads where the client was really going
// (SO_ORIGINAL_DST), logs it, connects there and relays. The redirect lives in a table owned by
// this process: the kernel removes it when the process exits, however it exits.

ProxyOptions options;
try
{
    options = ProxyOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"{e.Message}\n{ProxyOptions.Usage}");
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });

try
{
    using NetworkNamespace ns = options.Namespace is null ? NetworkNamespace.Current : NetworkNamespace.FromName(options.Namespace);
    // One dual-stack listener: IPv4 clients arrive as ::ffff:a.b.c.d, and OriginalDestination
    // answers for them at the IPv4 level.
    using Socket listener = ns.Run(() =>
    {
        var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(new IPEndPoint(IPAddress.IPv6Any, options.ListenPort));
        socket.Listen(512);
        return socket;
    });

    using var nat = new NatTable(options.Table, new NatTableOptions { Namespace = ns, Lifetime = NatTableLifetime.OwnedByProcess });
    await nat.ApplyAsync(new NatRule[] { new RedirectRule(TransportProtocol.Tcp, options.Ports, options.ListenPort) }, stop.Token);
    Relay.Log($"ready: redirecting tcp {options.Ports} to {options.ListenPort} in {ns.Description} (table inet {options.Table})");

    var relays = new List<Task>();
    while (!stop.IsCancellationRequested)
    {
        Socket client;
        try
        {
            client = await listener.AcceptAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            break;
        }
        relays.RemoveAll(t => t.IsCompleted);
        relays.Add(Task.Run(() => Relay.RunAsync(client, ns, options.ListenPort, stop.Token)));
    }
    await Task.WhenAll(relays);
    Relay.Log("stopped");
    return 0;
}
catch (Exception e) when (e is NetlinkException or ArgumentException or SocketException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
