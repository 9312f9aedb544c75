using System;
using System.Globalization;
using Netfilter.Net.Nat;

namespace TransparentProxy;

/// <summary>The command line: <c>--netns NAME --port P[-Q] --listen-port N --table NAME</c>.</summary>
internal sealed class ProxyOptions
{
    public string? Namespace { get; private set; }

    public PortRange Ports { get; private set; } = PortRange.Single(80);

    public int ListenPort { get; private set; } = 3128;

    public string Table { get; private set; } = "transparent-proxy";

    public const string Usage = "usage: TransparentProxy [--netns NAME] [--port P[-Q]] [--listen-port N] [--table NAME]";

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public static ProxyOptions Parse(string[] args)
    {
        var options = new ProxyOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value", name);
            switch (name)
            {
                case "--netns":
                    options.Namespace = Value();
                    break;
                case "--port":
                    options.Ports = PortRange.Parse(Value());
                    break;
                case "--listen-port":
                    string text = Value();
                    if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
                    {
                        throw new ArgumentException($"--listen-port must be 1-65535, not '{text}'", name);
                    }
                    options.ListenPort = port;
                    break;
                case "--table":
                    options.Table = Value();
                    break;
                default:
                    throw new ArgumentException($"unknown option '{name}'", name);
            }
        }
        return options;
    }
}
