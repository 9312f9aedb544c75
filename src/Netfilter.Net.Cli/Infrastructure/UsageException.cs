using System;

namespace Netfilter.Net.Cli.Infrastructure;

/// <summary>
/// A bad command line found after parsing (a value the parser accepted but the command cannot
/// use, such as a rule the library refuses). Reported as one line; exit code 2.
/// </summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
