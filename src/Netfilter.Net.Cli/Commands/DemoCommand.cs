using System;
using System.CommandLine;
using System.Threading;
using System.Diagnostics;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Cli.Commands;

/// <summary>
/// nfnet demo: builds a throwaway network namespace, works in it through the library, prints
/// what the kernel holds, and removes it again. iproute2 is used for the scaffolding only
/// (creating and deleting the namespace); everything netfilter goes through Netfilter.Net.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo", "Show the library at work in throwaway network namespaces; the host is left untouched.");
        command.SetAction(_ => Run());
        return command;
    }

    private static int Run()
    {
        string name = $"nfnet-demo-{Environment.ProcessId}";
        Console.WriteLine($"== creating throwaway network namespace {name}");
        if (RunTool("ip", "netns", "add", name) != 0)
        {
            Console.Error.WriteLine("could not create a network namespace: run as root (needs CAP_SYS_ADMIN and CAP_NET_ADMIN)");
            return 1;
        }
        using var cleanup = new NamespaceCleanup(name);
        try
        {
            using NetworkNamespace ns = NetworkNamespace.FromName(name);
            using var nft = new NfTablesClient(ns);
            RulesetGeneration generation = nft.GetGenerationAsync().GetAwaiter().GetResult();
            Console.WriteLine($"== ruleset generation in {name}: {generation.Id}");
            Console.WriteLine("== tables:");
            int count = 0;
            var tables = nft.ListTablesAsync().GetAsyncEnumerator();
            while (tables.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                Console.WriteLine($"   {tables.Current.Family} {tables.Current.Name} (handle {tables.Current.Handle})");
                count++;
            }
            Console.WriteLine(count == 0 ? "   (none: a fresh namespace has an empty ruleset)" : $"   {count} table(s)");
            return 0;
        }
        catch (NetlinkException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }

    internal static int RunTool(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }
        try
        {
            using Process p = Process.Start(start)!;
            p.WaitForExit();
            return p.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 127;
        }
    }

    private sealed class NamespaceCleanup : IDisposable
    {
        private readonly string _name;
        private int _done;

        public NamespaceCleanup(string name)
        {
            _name = name;
            Console.CancelKeyPress += OnCancel;
        }

        private void OnCancel(object? sender, ConsoleCancelEventArgs e) => Dispose();

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                Console.CancelKeyPress -= OnCancel;
                RunTool("ip", "netns", "del", _name);
                Console.WriteLine($"== removed namespace {_name}; the host was not touched");
            }
        }
    }
}
