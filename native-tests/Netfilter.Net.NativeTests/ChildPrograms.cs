namespace Netfilter.Net.NativeTests;

internal static partial class ChildPrograms
{
    /// <summary>Placeholder for later issues (owner-bound tables); prints "unsupported".</summary>
    public static Task<int> HoldOwnedTableAsync(string[] args)
    {
        Console.Error.WriteLine("hold-owned-table is not implemented yet");
        return Task.FromResult(2);
    }
}
