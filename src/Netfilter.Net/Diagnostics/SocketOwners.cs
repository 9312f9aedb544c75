using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// Names the process that holds a socket, the way <c>ss -p</c> does: the socket's inode appears
/// as the link <c>socket:[INODE]</c> under <c>/proc/PID/fd</c> of every process that has it open.
/// Used only to say who holds a port in a finding; whether a port is held comes from
/// NETLINK_SOCK_DIAG. Best effort: processes that vanish or cannot be read are skipped.
/// </summary>
internal static class SocketOwners
{
    /// <summary>"nginx (pid 812)" for each inode found (several processes: the first one).</summary>
    public static Dictionary<ulong, string> Find(IReadOnlyCollection<ulong> inodes)
    {
        var found = new Dictionary<ulong, string>();
        if (inodes.Count == 0)
        {
            return found;
        }
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (ulong inode in inodes)
        {
            wanted.Add(string.Create(CultureInfo.InvariantCulture, $"socket:[{inode}]"));
        }
        IEnumerable<string> processes;
        try
        {
            processes = Directory.EnumerateDirectories("/proc");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return found;
        }
        foreach (string directory in processes)
        {
            string pid = Path.GetFileName(directory);
            if (pid.Length == 0 || !char.IsAsciiDigit(pid[0]))
            {
                continue;
            }
            try
            {
                foreach (string fd in Directory.EnumerateFileSystemEntries(Path.Combine(directory, "fd")))
                {
                    string? target = new FileInfo(fd).LinkTarget;
                    if (target is null || !wanted.Contains(target))
                    {
                        continue;
                    }
                    ulong inode = ulong.Parse(target.AsSpan(8, target.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture);
                    if (!found.ContainsKey(inode))
                    {
                        string name = File.ReadAllText(Path.Combine(directory, "comm")).Trim();
                        found[inode] = $"{name} (pid {pid})";
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process exited, or its descriptors are not ours to read.
            }
            if (found.Count == wanted.Count)
            {
                break;
            }
        }
        return found;
    }
}
