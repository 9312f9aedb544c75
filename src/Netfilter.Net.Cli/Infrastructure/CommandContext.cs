using System;
using System.CommandLine;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Netfilter.Net.Cli.Infrastructure;

/// <summary>
/// What a running command needs besides its own options: the namespace it works in (opened once,
/// from --netns), where to write, and whether to be verbose.
/// </summary>
internal sealed class CommandContext : IDisposable
{
    private readonly string? _namespaceName;
    private NetworkNamespace? _namespace;

    public CommandContext(ParseResult parse, TextWriter output, TextWriter error)
    {
        Parse = parse;
        Output = output;
        Error = error;
        _namespaceName = parse.GetValue(CommonOptions.Netns);
        Verbose = parse.GetValue(CommonOptions.Verbose);
    }

    public ParseResult Parse { get; }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public bool Verbose { get; }

    /// <summary>The --netns name, or null for the current namespace.</summary>
    public string? NamespaceName => _namespaceName;

    /// <summary>The namespace to work in: --netns NAME, or null (the library's "current namespace").</summary>
    /// <exception cref="UsageException">No namespace of that name.</exception>
    public NetworkNamespace? Namespace
    {
        get
        {
            if (_namespaceName is null)
            {
                return null;
            }
            if (_namespace is null)
            {
                try
                {
                    _namespace = NetworkNamespace.FromName(_namespaceName);
                }
                catch (ArgumentException e)
                {
                    throw new UsageException("--netns: " + ErrorReporter.WithoutParameterSuffix(e.Message), e);
                }
            }
            return _namespace;
        }
    }

    /// <summary>"namespace router" or "the current namespace", for messages.</summary>
    public string Where => _namespaceName is null ? "the current namespace" : $"namespace {_namespaceName}";

    /// <summary>
    /// Runs a change that must not be cut in two: Ctrl-C and SIGTERM are honoured until it starts
    /// (an <see cref="OperationCanceledException"/>: nothing was changed) and, once it has started,
    /// wait for it to finish, so the command reports what was really applied. Give
    /// <paramref name="change"/> work that ends by itself (the library's calls are bounded by their
    /// netlink timeouts), and no cancellation token.
    /// </summary>
    public async Task<T> ChangeAsync<T>(Func<Task<T>> change, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return await change().ConfigureAwait(false);
    }

    public T GetValue<T>(Option<T> option) => Parse.GetValue(option)!;

    public T GetValue<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    public void Dispose() => _namespace?.Dispose();
}
