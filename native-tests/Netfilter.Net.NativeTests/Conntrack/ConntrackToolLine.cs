using System.Globalization;
using System.Net;

namespace Netfilter.Net.NativeTests.Conntrack;

/// <summary>
/// One line of <c>conntrack -L -o extended,id</c>, parsed: the oracle the library's dump is
/// compared with. Format (conntrack-tools 1.4.7, __snprintf_conntrack_default):
/// <c>ipv4 2 tcp 6 431999 ESTABLISHED src=.. dst=.. sport=.. dport=.. [packets=.. bytes=..] [UNREPLIED] src=.. dst=.. sport=.. dport=.. [packets=.. bytes=..] [ASSURED] mark=0 [zone=N] use=1 id=N</c>
/// </summary>
public sealed record ConntrackToolLine
{
    public required string Family { get; init; }
    public required int Protocol { get; init; }
    public required uint Timeout { get; init; }
    public string? State { get; init; }
    public Dictionary<string, string> Original { get; } = new();
    public Dictionary<string, string> Reply { get; } = new();
    public HashSet<string> Flags { get; } = new();
    public Dictionary<string, string> Other { get; } = new();

    public uint? Id => Other.TryGetValue("id", out string? v) ? uint.Parse(v, CultureInfo.InvariantCulture) : null;

    public static List<ConntrackToolLine> ParseAll(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("ipv4 ", StringComparison.Ordinal) || l.StartsWith("ipv6 ", StringComparison.Ordinal))
            .Select(Parse).ToList();

    public static ConntrackToolLine Parse(string line)
    {
        string[] t = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var result = new ConntrackToolLine
        {
            Family = t[0],
            Protocol = int.Parse(t[3], CultureInfo.InvariantCulture),
            Timeout = uint.Parse(t[4], CultureInfo.InvariantCulture),
            State = t.Length > 5 && !t[5].Contains('=') && !t[5].StartsWith('[') ? t[5] : null,
        };
        int sources = 0;
        foreach (string token in t.Skip(5))
        {
            if (token.StartsWith('['))
            {
                result.Flags.Add(token.Trim('[', ']'));
                continue;
            }
            int eq = token.IndexOf('=');
            if (eq < 0)
            {
                continue;
            }
            string key = token[..eq], value = token[(eq + 1)..];
            if (key == "src")
            {
                sources++;
            }
            bool tupleKey = key is "src" or "dst" or "sport" or "dport" or "type" or "code" or "id" or "packets" or "bytes";
            // "id=" is the ICMP id inside a tuple and the entry id at the end (after use=).
            if (tupleKey && !(key == "id" && result.Other.ContainsKey("use")) && sources is 1 or 2)
            {
                (sources == 1 ? result.Original : result.Reply)[key] = value;
            }
            else
            {
                result.Other[key] = value;
            }
        }
        return result;
    }

    public static IPAddress Address(string text) => IPAddress.Parse(text);
}
