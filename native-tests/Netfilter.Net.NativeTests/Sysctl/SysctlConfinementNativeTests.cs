using System.IO;
using Netfilter.Net.NativeTests.Cli;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Sysctl;

/// <summary>
/// Confinement (issue 15, D3) and read-only /proc/sys (issue 13), each reproduced in a private
/// mount namespace of a child process (unshare -m, propagation private) so that nothing the
/// test mounts is ever seen by the host:
/// - a decoy file bind-mounted over /proc/sys/kernel/core_pattern shows where a write of a
///   host-wide key lands, without ever touching the host's real file;
/// - /proc/sys bind-mounted read-only over itself is exactly what Docker, containerd and
///   Kubernetes do in a container that is not privileged.
/// Every wrapped command runs only after the shell has checked that the mount is in place.
/// </summary>
public sealed class SysctlConfinementNativeTests
{
    private const string CorePattern = "/proc/sys/kernel/core_pattern";

    private static string Self => typeof(Program).Assembly.Location;

    /// <summary>
    /// unshare -m ... sh -c: bind-mount <paramref name="decoy"/> over core_pattern, check that
    /// core_pattern now is the decoy (same device and inode), then exec the command.
    /// </summary>
    private static string[] WithDecoy(string decoy) => new[]
    {
        "unshare", "--mount", "--propagation", "private", "sh", "-c",
        $"mount --bind '{decoy}' {CorePattern} && [ \"$(stat -L -c %d:%i {CorePattern})\" = \"$(stat -L -c %d:%i '{decoy}')\" ] || exit 99; exec \"$@\"",
        "decoy",
    };

    /// <summary>unshare -m ... sh -c: make /proc/sys read-only (a bind of itself, remounted ro), check it, then exec the command.</summary>
    private static readonly string[] s_readOnlyProcSys =
    {
        "unshare", "--mount", "--propagation", "private", "sh", "-c",
        "mount --bind /proc/sys /proc/sys && mount -o remount,bind,ro /proc/sys && grep -qE '^[0-9]+ [0-9]+ [^ ]+ [^ ]+ /proc/sys ro[, ]' /proc/self/mountinfo || exit 99; exec \"$@\"",
        "readonly",
    };

    private static Tool.Result Child(string[] wrapper, params string[] arguments) =>
        Tool.Run(wrapper[0], wrapper.Skip(1).Concat(new[] { "dotnet", Self, "child", "sysctl-write" }).Concat(arguments), timeout: TimeSpan.FromMinutes(1));

    [NativeFact]
    public void A_host_wide_key_through_a_namespace_is_refused_by_nfnet_and_the_library_and_the_decoy_is_unchanged()
    {
        string hostBefore = File.ReadAllText(CorePattern);
        string decoy = Path.Combine(Directory.CreateTempSubdirectory("nfnet-decoy-").FullName, "core_pattern");
        File.WriteAllText(decoy, "decoy-untouched\n");
        try
        {
            using var ns = new TestNamespace("d3");

            // nfnet: the write that landed before the fix (exit 0, decoy overwritten).
            string[] set = Nfnet.Under(WithDecoy(decoy), "sysctl", "set", "kernel.core_pattern", "|/tmp/pwned", "--netns", ns.Name).ShouldFail(2);
            set[0].Should().Be($"nfnet: KEY: kernel.core_pattern is not per network namespace: only net.* keys belong to a namespace, and kernel.core_pattern is shared by the whole host, so --netns {ns.Name} cannot confine it; run without --netns to change the host's value deliberately");
            File.ReadAllText(decoy).Should().Be("decoy-untouched\n");
            Nfnet.Under(WithDecoy(decoy), "sysctl", "get", "kernel.core_pattern", "--netns", ns.Name).ShouldFail(2)[0]
                .Should().Contain("is not per network namespace").And.Contain("to read the host's value");

            // The library, for the namespace and for the current one: refused before anything is opened.
            foreach (string[] where in new[] { new[] { "--netns", ns.Name }, Array.Empty<string>() })
            {
                Tool.Result refused = Child(WithDecoy(decoy), where.Concat(new[] { "kernel.core_pattern", "|/tmp/pwned" }).ToArray());
                refused.ExitCode.Should().Be(3, refused.StandardError);
                refused.StandardError.Should().StartWith("ArgumentException: kernel.core_pattern is not a network-namespace sysctl").And.Contain("AllowGlobalKeys");
                File.ReadAllText(decoy).Should().Be("decoy-untouched\n");
            }

            // Opted in, the write lands: in the decoy, proving the wrapper reaches the same file.
            Tool.Result library = Child(WithDecoy(decoy), "--netns", ns.Name, "--global", "kernel.core_pattern", "library-opt-in");
            library.ExitCode.Should().Be(0, library.StandardError);
            File.ReadAllText(decoy).Should().Be("library-opt-in\n");

            Tool.Result cli = Nfnet.Under(WithDecoy(decoy), "sysctl", "set", "kernel.core_pattern", "cli-host");
            cli.ExitCode.Should().Be(0, cli.StandardError);
            cli.StandardOutput.Should().Be("kernel.core_pattern = cli-host\n");
            File.ReadAllText(decoy).Should().Be("cli-host\n");

            // net.* keys through the namespace are unaffected by the check.
            Nfnet.Under(WithDecoy(decoy), "sysctl", "set", "net.ipv4.ip_forward", "1", "--netns", ns.Name).ExitCode.Should().Be(0);
            ns.Check("sysctl", "-n", "net.ipv4.ip_forward").Trim().Should().Be("1");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(decoy)!, recursive: true);
        }
        File.ReadAllText(CorePattern).Should().Be(hostBefore, "the host's own core_pattern was never written");
    }

    [NativeFact]
    public void A_read_only_proc_sys_as_in_a_container_gives_one_line_naming_the_container_level_fix()
    {
        using var ns = new TestNamespace("erofs");

        string[] on = Nfnet.Under(s_readOnlyProcSys, "forwarding", "on", "--netns", ns.Name).ShouldFail(1);
        on[0].Should().StartWith($"nfnet: write sysctl net.ipv4.ip_forward = '1' in /run/netns/{ns.Name} failed: EROFS (read-only file system); /proc/sys is mounted read-only here")
            .And.Contain("docker run --sysctl net.ipv4.ip_forward=1")
            .And.Contain("securityContext.sysctls (name: net.ipv4.ip_forward, value: \"1\"");
        ns.Check("sysctl", "-n", "net.ipv4.ip_forward").Trim().Should().Be("0");

        Nfnet.Under(s_readOnlyProcSys, "sysctl", "set", "net.ipv4.conf.all.route_localnet", "1", "--netns", ns.Name).ShouldFail(1)[0]
            .Should().Contain("EROFS").And.Contain("docker run --sysctl net.ipv4.conf.all.route_localnet=1");

        // Reading still works there.
        Tool.Result status = Nfnet.Under(s_readOnlyProcSys, "forwarding", "status", "--netns", ns.Name);
        status.ExitCode.Should().Be(0, status.StandardError);
        status.StandardOutput.Should().StartWith("ipv4 forwarding: off");

        // The library: the typed kind.
        Tool.Result library = Child(s_readOnlyProcSys, "--netns", ns.Name, "net.ipv4.ip_forward", "1");
        library.ExitCode.Should().Be(1, library.StandardError);
        library.StandardError.Should().StartWith("SysctlException: EROFS: ReadOnlyFileSystem: write sysctl net.ipv4.ip_forward");
        ns.Check("sysctl", "-n", "net.ipv4.ip_forward").Trim().Should().Be("0");
    }
}
