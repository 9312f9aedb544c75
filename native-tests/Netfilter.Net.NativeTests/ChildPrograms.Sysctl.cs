using Netfilter.Net.Sysctl;

namespace Netfilter.Net.NativeTests;

internal static partial class ChildPrograms
{
    /// <summary>
    /// <c>child sysctl-write [--netns NAME] [--global] KEY VALUE</c>: writes a sysctl through
    /// <see cref="SysctlClient"/>, in the current namespace or in /run/netns/NAME, with
    /// <see cref="SysctlClient.AllowGlobalKeys"/> when --global is given. Exit 0 on success;
    /// 1 with "SysctlException: ERRNO: KIND: message" on stderr when the kernel refused; 3 with
    /// "ArgumentException: message" when the library refused before touching anything.
    /// </summary>
    public static Task<int> SysctlWriteAsync(string[] args)
    {
        string? netns = null;
        bool global = false;
        var rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--netns" && i + 1 < args.Length)
            {
                netns = args[++i];
            }
            else if (args[i] == "--global")
            {
                global = true;
            }
            else
            {
                rest.Add(args[i]);
            }
        }
        if (rest.Count != 2)
        {
            Console.Error.WriteLine("usage: child sysctl-write [--netns NAME] [--global] KEY VALUE");
            return Task.FromResult(2);
        }
        using NetworkNamespace? ns = netns is null ? null : NetworkNamespace.FromName(netns);
        try
        {
            new SysctlClient(ns) { AllowGlobalKeys = global }.Write(rest[0], rest[1]);
        }
        catch (SysctlException e)
        {
            Console.Error.WriteLine($"SysctlException: {e.Errno}: {e.Kind}: {e.Message}");
            return Task.FromResult(1);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"ArgumentException: {e.Message}");
            return Task.FromResult(3);
        }
        return Task.FromResult(0);
    }
}
