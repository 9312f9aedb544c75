namespace Netfilter.Net.Cli.Infrastructure;

/// <summary>nfnet's exit codes: scripts depend on them (README, "Exit codes").</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The command ran but failed: the kernel refused, a file could not be read, doctor found an error.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong: an unknown command or option, a missing or malformed value.</summary>
    public const int Usage = 2;
}
