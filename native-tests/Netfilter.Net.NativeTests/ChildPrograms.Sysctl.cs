using Netfilter.Net.Sysctl;

namespace Netfilter.Net.NativeTests;

internal static partial class ChildPrograms
{
    /// <summary><c>child sysctl-write KEY VALUE</c>: writes a sysctl in the current namespace; exit 1 with the exception on stderr.</summary>
    public static Task<int> SysctlWriteAsync(string[] args)
    {
        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: child sysctl-write KEY VALUE");
            return Task.FromResult(2);
        }
        new SysctlClient().Write(args[0], args[1]);
        return Task.FromResult(0);
    }
}
