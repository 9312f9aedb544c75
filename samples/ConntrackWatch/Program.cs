using System;
using System.Runtime.InteropServices;
using System.Threading;
using ConntrackWatch;
using Netfilter.Net;
using Netfilter.Net.Conntrack;

// Prints NAT'd connections as they come and go (DESIGN.md S9): the ones already there, then
// each new and each finished one, with the translation in plain words. WatchAsync subscribes to
// conntrack events first and then reads the table, so nothing falls between the two; when the
// kernel drops events (a burst larger than the socket buffer) it says so and reads the table again.

string? netns = null;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--netns" && i + 1 < args.Length)
    {
        netns = args[++i];
    }
    else
    {
        Console.Error.WriteLine($"unknown argument '{args[i]}'\nusage: ConntrackWatch [--netns NAME]");
        return 2;
    }
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });

try
{
    using NetworkNamespace ns = netns is null ? NetworkNamespace.Current : NetworkNamespace.FromName(netns);
    using var conntrack = new ConntrackClient(ns);
    bool first = true;
    var options = new ConntrackEventOptions { Types = ConntrackEventTypes.New | ConntrackEventTypes.Destroy };
    await foreach (ConntrackEvent e in conntrack.WatchAsync(options, stop.Token))
    {
        switch (e.Type)
        {
            case ConntrackEventType.Snapshot:
                int count = 0;
                foreach (ConntrackEntry entry in e.Snapshot!)
                {
                    if (FlowPrinter.Line('=', entry) is string line)
                    {
                        FlowPrinter.Print(line);
                        count++;
                    }
                }
                FlowPrinter.Print(first
                    ? $"watching NAT'd connections in {ns.Description} ({count} already there; Ctrl-C to stop)"
                    : $"resynchronized: {count} NAT'd connections");
                first = false;
                break;
            case ConntrackEventType.New:
                if (FlowPrinter.Line('+', e.Entry!) is string added)
                {
                    FlowPrinter.Print(added);
                }
                break;
            case ConntrackEventType.Destroy:
                if (FlowPrinter.Line('-', e.Entry!) is string removed)
                {
                    FlowPrinter.Print(removed);
                }
                break;
            case ConntrackEventType.Lost:
                FlowPrinter.Print("! events were lost (the kernel's buffer overflowed): reading the table again");
                break;
        }
    }
    return 0;
}
catch (Exception e) when (e is NetlinkException or ArgumentException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
