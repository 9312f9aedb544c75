using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Hosting;

/// <summary>
/// Reads <see cref="HostedNatTableOptions"/> from a configuration section, by hand: no reflection, so
/// it is trimming- and NativeAOT-safe without the binder's source generator, and every problem
/// (an unknown key, a value of the wrong type, a missing section) becomes a validation failure
/// with the key's path instead of an exception from the middle of binding.
/// </summary>
internal static class HostedNatTableOptionsBinder
{
    private const string Known = "Table, Namespace, Lifetime, Rules, RemoveOnShutdown, EnableForwarding, HealthCheck, ReconcileInterval, Retry";

    public static void Bind(IConfiguration configuration, HostedNatTableOptions options)
    {
        if (configuration is IConfigurationSection section && !section.Exists())
        {
            // Also what a configuration file that failed to parse on reload looks like (its data is
            // dropped): refusing it keeps the rules last applied instead of removing every forward.
            options.BindingErrors.Add($"the configuration section '{section.Path}' is missing or empty");
            return;
        }
        foreach (IConfigurationSection child in configuration.GetChildren())
        {
            switch (child.Key.ToUpperInvariant())
            {
                case "TABLE": options.Table = child.Value ?? string.Empty; break;
                case "NAMESPACE": options.Namespace = string.IsNullOrEmpty(child.Value) ? null : child.Value; break;
                case "LIFETIME": options.Lifetime = Enum(child, options.Lifetime, options.BindingErrors); break;
                case "RULES": options.Rules = Lines(child, options.BindingErrors); break;
                case "REMOVEONSHUTDOWN": options.RemoveOnShutdown = Bool(child, options.RemoveOnShutdown, options.BindingErrors); break;
                case "ENABLEFORWARDING": options.EnableForwarding = Bool(child, options.EnableForwarding, options.BindingErrors); break;
                case "HEALTHCHECK": options.HealthCheck = Bool(child, options.HealthCheck, options.BindingErrors); break;
                case "RECONCILEINTERVAL":
                    options.ReconcileInterval = string.IsNullOrEmpty(child.Value) ? null : Duration(child, options.ReconcileInterval, options.BindingErrors);
                    break;
                case "RETRY": BindRetry(child, options.Retry, options.BindingErrors); break;
                default:
                    options.BindingErrors.Add($"'{child.Path}' is not a setting of a hosted NAT table (the settings are {Known})");
                    break;
            }
        }
    }

    private static void BindRetry(IConfigurationSection section, NatTableRetryOptions retry, List<string> errors)
    {
        foreach (IConfigurationSection child in section.GetChildren())
        {
            switch (child.Key.ToUpperInvariant())
            {
                case "INITIALDELAY": retry.InitialDelay = Duration(child, retry.InitialDelay, errors); break;
                case "MAXDELAY": retry.MaxDelay = Duration(child, retry.MaxDelay, errors); break;
                case "MAXATTEMPTS":
                    if (int.TryParse(child.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int attempts))
                    {
                        retry.MaxAttempts = attempts;
                    }
                    else
                    {
                        errors.Add($"'{child.Path}' must be a whole number, not '{child.Value}'");
                    }
                    break;
                default:
                    errors.Add($"'{child.Path}' is not a retry setting (the settings are InitialDelay, MaxDelay, MaxAttempts)");
                    break;
            }
        }
    }

    /// <summary>An array of rule lines: children 0, 1, 2... (the configuration keeps JSON arrays that way, in order).</summary>
    private static List<string> Lines(IConfigurationSection section, List<string> errors)
    {
        var lines = new List<string>();
        if (section.Value is { Length: > 0 } single)
        {
            errors.Add($"'{section.Path}' must be a list of rule lines, not the single value '{single}' (write [ \"{single}\" ])");
            return lines;
        }
        foreach (IConfigurationSection child in section.GetChildren())
        {
            if (child.Value is null)
            {
                errors.Add($"'{child.Path}' must be a rule line such as \"dnat tcp 2222 to 192.168.1.10:22\", not {(child.GetChildren().GetEnumerator().MoveNext() ? "an object" : "null")}");
                continue;
            }
            lines.Add(child.Value);
        }
        return lines;
    }

    private static bool Bool(IConfigurationSection child, bool current, List<string> errors)
    {
        if (bool.TryParse(child.Value, out bool value))
        {
            return value;
        }
        errors.Add($"'{child.Path}' must be true or false, not '{child.Value}'");
        return current;
    }

    private static TimeSpan Duration(IConfigurationSection child, TimeSpan current, List<string> errors) =>
        Duration(child, (TimeSpan?)current, errors) ?? current;

    /// <summary>The duration <paramref name="child"/> holds; <paramref name="current"/>, with an error recorded, when it holds something else.</summary>
    private static TimeSpan? Duration(IConfigurationSection child, TimeSpan? current, List<string> errors)
    {
        if (TimeSpan.TryParse(child.Value, CultureInfo.InvariantCulture, out TimeSpan value))
        {
            return value;
        }
        errors.Add($"'{child.Path}' must be a duration such as \"00:00:30\", not '{child.Value}'");
        return current;
    }

    private static NatTableLifetime Enum(IConfigurationSection child, NatTableLifetime current, List<string> errors)
    {
        if (System.Enum.TryParse(child.Value, ignoreCase: true, out NatTableLifetime value) && System.Enum.IsDefined(value)
            && !int.TryParse(child.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
        {
            return value;
        }
        errors.Add($"'{child.Path}' must be Persistent or OwnedByProcess, not '{child.Value}'");
        return current;
    }
}
