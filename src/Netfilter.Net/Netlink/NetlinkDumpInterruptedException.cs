namespace Netfilter.Net;

/// <summary>
/// A dump was inconsistent: the kernel set NLM_F_DUMP_INTR because the object list changed
/// while it was being dumped, or a set-element dump repeated elements (a set changing or being
/// resized under the dump), and the bounded number of retries did not produce a consistent
/// copy. Nothing partial is returned by the list methods; a stream ends with this after what it
/// delivered. Re-read later, or reduce concurrent changes.
/// </summary>
public sealed class NetlinkDumpInterruptedException : NetlinkException
{
    internal NetlinkDumpInterruptedException(string operation, uint sequence, int attempts)
        : base(Errno.EINTR, operation, sequence, detail: attempts <= 1
            ? "the kernel marked the dump inconsistent (NLM_F_DUMP_INTR): the objects changed while they were being dumped"
            : $"the kernel marked the dump inconsistent (NLM_F_DUMP_INTR) on each of {attempts} attempts: the objects keep changing")
    {
        Attempts = attempts;
    }

    internal NetlinkDumpInterruptedException(string operation, uint sequence, int attempts, string detail)
        : base(Errno.EINTR, operation, sequence, detail: detail)
    {
        Attempts = attempts;
    }

    /// <summary>How many times the dump was tried.</summary>
    public int Attempts { get; }
}
