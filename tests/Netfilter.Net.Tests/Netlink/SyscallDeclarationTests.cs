using System.IO;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;

namespace Netfilter.Net.Tests.Netlink;

/// <summary>
/// errno is read as the last P/Invoke error (Tmds.Linux.LibC.errno), which only a function
/// declared with SetLastError = true records. Tmds.LibC 0.5.0 declares poll without it, so the
/// errno of an interrupted poll read as whatever an earlier call left: the "poll(netlink)
/// failed: EAGAIN" of issue 15 D4. Every libc function the library calls must record its errno.
/// </summary>
public sealed class SyscallDeclarationTests
{
    [Fact]
    public void Every_libc_function_the_library_calls_records_errno()
    {
        HashSet<string> called = LibCFunctionsCalledBy(typeof(NetlinkException).Assembly);
        called.Should().Contain(new[] { "recvmsg", "sendmsg", "socket", "bind", "setsockopt" }, "the check must see the library's calls");

        var unrecorded = typeof(Tmds.Linux.LibC).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => called.Contains(m.Name) && m.GetCustomAttribute<DllImportAttribute>() is { SetLastError: false })
            .Select(m => m.Name)
            .Distinct()
            .ToList();

        unrecorded.Should().BeEmpty("these functions leave errno unread, so a failure would report a stale errno");
    }

    private static HashSet<string> LibCFunctionsCalledBy(Assembly assembly)
    {
        using var pe = new PEReader(File.OpenRead(assembly.Location));
        MetadataReader metadata = pe.GetMetadataReader();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (MemberReferenceHandle handle in metadata.MemberReferences)
        {
            MemberReference member = metadata.GetMemberReference(handle);
            if (member.Parent.Kind != HandleKind.TypeReference)
            {
                continue;
            }
            TypeReference type = metadata.GetTypeReference((TypeReferenceHandle)member.Parent);
            if (metadata.GetString(type.Namespace) == "Tmds.Linux" && metadata.GetString(type.Name) == "LibC")
            {
                names.Add(metadata.GetString(member.Name));
            }
        }
        return names;
    }
}
