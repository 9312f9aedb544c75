using System.Text.Json.Serialization;

namespace Netfilter.Net.Cli.Output;

/// <summary>
/// Every type nfnet reads or writes as JSON, serialized by source-generated code (no reflection:
/// NativeAOT and trimming safe). camelCase names; null fields are left out.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(NatRuleListJson))]
[JsonSerializable(typeof(ForwardingJson))]
[JsonSerializable(typeof(SysctlJson))]
[JsonSerializable(typeof(ConntrackStatsJson))]
[JsonSerializable(typeof(DoctorJson))]
[JsonSerializable(typeof(NatAccessJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
}
