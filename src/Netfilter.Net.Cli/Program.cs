using System.CommandLine;
using Netfilter.Net.Cli.Commands;

namespace Netfilter.Net.Cli;

/// <summary>nfnet: the command-line face of Netfilter.Net.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("nfnet: port redirection, forwarding and conntrack on Linux netfilter, without nft or iptables.");
        root.Subcommands.Add(DemoCommand.Create());
        ParseResult parse = root.Parse(args);
        return parse.Invoke();
    }
}
