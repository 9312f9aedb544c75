namespace Netfilter.Net.KernelSuite;

/// <summary>A check saw something other than what it expected.</summary>
internal sealed class CheckFailedException : Exception
{
    public CheckFailedException(string message) : base(message)
    {
    }
}

/// <summary>Assertions for checks: each failure says what was expected and what was seen.</summary>
internal static class Expect
{
    public static void That(bool condition, string what)
    {
        if (!condition)
        {
            throw new CheckFailedException(what);
        }
    }

    /// <summary>Fails with the difference when <paramref name="difference"/> (from KernelComparison) is not null.</summary>
    public static void Equal(string? difference, string what)
    {
        if (difference is not null)
        {
            throw new CheckFailedException($"{what} differs: {difference}");
        }
    }
}
