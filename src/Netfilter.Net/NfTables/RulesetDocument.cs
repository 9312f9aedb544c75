using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.NfTables.Internal.Documents;

namespace Netfilter.Net.NfTables;

/// <summary>
/// A whole ruleset saved as a JSON document, and restored from one: what <c>nfnet ruleset save</c>
/// writes and <c>nfnet ruleset restore</c> reads. Saving and restoring stream: a save writes each
/// part as the kernel dumps it, a restore turns each part into its transaction operation as it
/// is parsed, so memory does not hold the document, only the transaction that must go to the
/// kernel whole.
/// </summary>
/// <remarks>
/// <para>
/// The document holds what restore needs, and restore sends back exactly what was saved, byte for
/// byte, whether or not this version of the library knows every expression: each expression and
/// object is kept as its kernel name and raw attributes. Binary values (keys, data, userdata) are
/// lower-case hex.
/// </para>
/// <para>Version 2, one line per part:</para>
/// <code>
/// {"format":"nfnet-ruleset","version":2,"generation":3,"tables":[
/// {"family":"inet","name":"nfnet","flags":0,"chains":[
/// {"name":"prerouting","hook":{"number":0,"priority":-100},"type":"nat","policy":"accept","flags":1}],"sets":[
/// {"name":"dnat4_pre","flags":8,"keyType":781,"keyLength":8,"dataType":461,"dataLength":8,"elements":[
/// {"key":"0600000008ae0000","data":"0a00020200160000"}]}],"rules":[
/// {"chain":"prerouting","expressions":["meta 2:16 1:1","payload 1:9 2:2 3:2 4:2","lookup 2:1 3:1 1:'dnat4_pre' 5:0","nat 1:1 2:2 3:1 4:1 5:9 6:9 7:3"]}]}
/// ]}
/// </code>
/// <para>
/// An expression is <c>"name attributes"</c>: each attribute is <c>TYPE:VALUE</c> with the
/// attribute's number (NFTA_*), a nest is <c>TYPE{...}</c>, and a value is a 4-byte number in
/// decimal, an 8-byte one with <c>L</c>, a <c>'name'</c> (NUL-terminated text) or <c>x</c> and
/// hex. Data that is not exactly a list of attributes is <c>=HEX</c>. Objects' <c>data</c> use the
/// same text. Version 1 documents (hex <c>data</c> in <c>{"name","data","debug"}</c> objects, and
/// every field for people always present) are still read and restored.
/// </para>
/// <para>
/// Fields for people, which restore ignores, are written only with
/// <see cref="RulesetDocumentWriteOptions.Annotate"/>: <c>debug</c> (libnftnl's text of each
/// expression and object), <c>comment</c>, <c>hookName</c>, <c>handle</c>. <c>generation</c> is
/// informative. Kernel-assigned state (handles, use counts, the owner flag, the set size a
/// dynset implies) is not restored.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// using var client = new NfTablesClient(namespace);
/// await using (FileStream file = File.Create("rules.json"))
///     await RulesetDocument.SaveAsync(client, file);
/// // later, or in another namespace:
/// await using FileStream input = File.OpenRead("rules.json");
/// RulesetRestoreResult result = await RulesetDocument.RestoreAsync(client, input);
/// </code>
/// </example>
public static class RulesetDocument
{
    /// <summary>The value of the document's <c>format</c> field.</summary>
    public const string FormatName = "nfnet-ruleset";

    /// <summary>The version this library writes; it reads this one and version 1.</summary>
    public const int CurrentVersion = 2;

    /// <summary>The most input a read accepts unless <see cref="RulesetDocumentReadOptions.MaxBytes"/> says otherwise: 128 MiB, about 2 million set elements or 400,000 rules.</summary>
    public const long DefaultMaxBytes = 128L * 1024 * 1024;

    /// <summary>
    /// Writes what the kernel holds (every family, or <paramref name="family"/>'s tables) to
    /// <paramref name="output"/> as it reads it (<see cref="NfTablesClient.ReadRulesetAsync"/>).
    /// </summary>
    /// <returns>What was written, with the generation it was read at.</returns>
    /// <exception cref="NetlinkDumpInterruptedException">
    /// The ruleset changed while it was read: what was written may mix two generations. Write to
    /// a temporary file, and on this exception start that file again.
    /// </exception>
    /// <exception cref="NetlinkException">The kernel refused a dump (EPERM without CAP_NET_ADMIN).</exception>
    public static async Task<RulesetSummary> SaveAsync(NfTablesClient client, Stream output, RulesetDocumentWriteOptions? options = null, NetfilterFamily family = NetfilterFamily.Unspecified, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new DocumentWriter(output, options?.Annotate ?? false);
        return await client.ReadRulesetAsync(writer, family, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="ruleset"/> to <paramref name="output"/> (synchronously: the ruleset is in memory already).</summary>
    /// <returns>What was written.</returns>
    public static RulesetSummary Write(Ruleset ruleset, Stream output, RulesetDocumentWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ruleset);
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new DocumentWriter(output, options?.Annotate ?? false);
        var counter = new CountingVisitor(writer);
        ruleset.Accept(counter);
        writer.Flush();
        return counter.Summary;
    }

    /// <summary>
    /// Reads a document from <paramref name="input"/> as it arrives and passes each part to
    /// <paramref name="visitor"/> as soon as it is read. Expressions and objects come as
    /// <see cref="Expressions.UnknownExpression"/> and <see cref="Objects.UnknownObject"/>: their
    /// saved attributes, which go back unchanged.
    /// </summary>
    /// <returns>What was read, with the generation the document was saved at.</returns>
    /// <exception cref="RulesetDocumentException">
    /// The input is not a ruleset document this library reads, is larger than
    /// <see cref="RulesetDocumentReadOptions.MaxBytes"/>, or holds a value the kernel would refuse.
    /// The visitor may have received the parts before the problem.
    /// </exception>
    public static Task<RulesetSummary> ReadAsync(Stream input, RulesetVisitor visitor, RulesetDocumentReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(visitor);
        return DocumentReader.ReadAsync(input, visitor, MaxBytes(options), cancellationToken);
    }

    /// <summary>Reads a whole document into a <see cref="Ruleset"/> (see <see cref="ReadAsync(Stream, RulesetVisitor, RulesetDocumentReadOptions?, CancellationToken)"/>).</summary>
    /// <exception cref="RulesetDocumentException">The input is not a ruleset document this library reads, too large, or holds a value the kernel would refuse.</exception>
    public static async Task<Ruleset> ReadAsync(Stream input, RulesetDocumentReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var builder = new RulesetBuilder();
        await ReadAsync(input, builder, options, cancellationToken).ConfigureAwait(false);
        return builder.Ruleset;
    }

    /// <summary>
    /// Recreates the ruleset that <paramref name="input"/> holds, in one atomic transaction: each
    /// table it names is deleted if it exists and created again as saved; other tables are left
    /// alone. The document is parsed straight into the transaction
    /// (<see cref="NfTablesTransaction.Recreate(Ruleset, NfTablesTransaction)"/>'s operations), and
    /// nothing is sent unless all of it was read without error. The transaction carries the
    /// generation read before the document, so a ruleset changed meanwhile is not overwritten.
    /// </summary>
    /// <remarks>
    /// Cancellation stops the restore until the transaction is sent, and then no longer: an
    /// <see cref="OperationCanceledException"/> means nothing was applied, and a result means all of it was.
    /// </remarks>
    /// <returns>What was restored; <see cref="RulesetRestoreResult.Operations"/> is 0 when the document held no table (nothing was sent).</returns>
    /// <exception cref="RulesetDocumentException">The document cannot be read (see <see cref="ReadAsync(Stream, RulesetDocumentReadOptions?, CancellationToken)"/>); nothing was sent.</exception>
    /// <exception cref="NfTablesGenerationException">The ruleset changed while the document was read; nothing was applied. Restore again.</exception>
    /// <exception cref="NfTablesException">The kernel refused an operation (it names which); nothing was applied.</exception>
    public static async Task<RulesetRestoreResult> RestoreAsync(NfTablesClient client, Stream input, RulesetDocumentReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(input);
        RulesetGeneration generation = await client.GetGenerationAsync(cancellationToken).ConfigureAwait(false);
        var existing = new HashSet<(NetfilterFamily, string)>();
        await foreach (Table table in client.ListTablesAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            existing.Add((table.Family, table.Name));
        }
        // Nobody needs the new rules' handles: without NLM_F_ECHO the kernel does not build a
        // copy of every rule for us to read (a third of a 10,000-rule restore's kernel time).
        var transaction = new NfTablesTransaction { ExpectedGeneration = generation.Id, ReturnsHandles = false };
        var recreator = new RulesetRecreator(transaction, existing);
        RulesetSummary summary = await DocumentReader.ReadAsync(input, recreator, MaxBytes(options), cancellationToken).ConfigureAwait(false);
        if (transaction.Count == 0)
        {
            return new RulesetRestoreResult(summary, 0, 0);
        }
        await client.CommitAsync(transaction, cancellationToken).ConfigureAwait(false);
        return new RulesetRestoreResult(summary, recreator.Replaced, transaction.Count);
    }

    private static long MaxBytes(RulesetDocumentReadOptions? options)
    {
        long max = options?.MaxBytes ?? DefaultMaxBytes;
        if (max <= 0)
        {
            throw new ArgumentException($"MaxBytes is {max}; it must be positive", nameof(options));
        }
        return max;
    }
}
