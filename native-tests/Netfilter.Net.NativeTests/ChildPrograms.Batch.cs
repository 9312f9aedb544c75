using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NativeTests;

internal static partial class ChildPrograms
{
    /// <summary>
    /// child commit-table-batch NAME: commits one nfnetlink batch creating table inet NAME and
    /// prints each refusal as "INDEX ERRNO DESCRIPTION". Exit 0 when applied, 3 when refused,
    /// 1 on a NetfilterException (Program.Main), e.g. ETIMEDOUT after the 5 s wait.
    /// </summary>
    public static async Task<int> CommitTableBatchAsync(string[] args)
    {
        using var client = new NfTablesClient(timeout: TimeSpan.FromSeconds(5));
        using var batch = new NfnetlinkBatch(client.Connection, NfnlSubsystem.NfTables);
        batch.BeginMessage(NfTablesMessageType.NewTable, NetlinkMessageFlags.Create, NetfilterFamily.Inet, $"table inet {args[0]}");
        batch.Writer.WriteStringZ(1, args[0]); // NFTA_TABLE_NAME
        batch.EndMessage();
        List<BatchFailure> failures = await batch.CommitAsync("batch", null, CancellationToken.None);
        foreach (BatchFailure failure in failures)
        {
            Console.WriteLine($"{failure.Index} {failure.Error.Errno} {failure.Description}");
        }
        return failures.Count == 0 ? 0 : 3;
    }
}
