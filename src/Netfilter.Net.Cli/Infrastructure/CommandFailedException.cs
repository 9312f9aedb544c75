using System;

namespace Netfilter.Net.Cli.Infrastructure;

/// <summary>A command could not do what was asked, for a reason its message states in one line; exit code 1.</summary>
internal sealed class CommandFailedException : Exception
{
    public CommandFailedException(string message)
        : base(message)
    {
    }

    public CommandFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
