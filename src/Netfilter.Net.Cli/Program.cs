namespace Netfilter.Net.Cli;

/// <summary>nfnet: the command-line face of Netfilter.Net. Exit codes: 0 success, 1 failure, 2 bad usage.</summary>
internal static class Program
{
    public static int Main(string[] args) => NfnetCommand.Run(args);
}
