using System;
using System.Collections.Generic;
using System.Globalization;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.Diagnostics;

/// <summary>One way through the rule so far: the conditions, the registers, the action once one is set.</summary>
internal sealed class PathState
{
    // uapi nf_tables.h: NFT_REG32_00 is 8, the first of sixteen 4-byte registers.
    private const int FirstReg32 = 8;

    private RegisterField[] _units = new RegisterField[16];

    public PacketMatch Match { get; set; } = PacketMatch.Any;

    public RuleAction? Action { get; set; }

    public SetElement? Element { get; set; }

    public bool Tproxy { get; set; }

    /// <summary>The rule stopped matching here (NFT_BREAK).</summary>
    public bool Dead { get; set; }

    public PathState Clone() => new()
    {
        _units = (RegisterField[])_units.Clone(),
        Match = Match,
        Action = Action,
        Element = Element,
        Tproxy = Tproxy,
        Dead = Dead,
    };

    /// <summary>The 4-byte unit a register starts at (NFT_REG_1..4 are 16 bytes, NFT_REG32_00..15 are 4); -1 for the verdict register.</summary>
    private static int UnitOf(Register register) =>
        register.Is128Bit ? ((int)register.Raw - 1) * 4 : register.Is32Bit ? (int)register.Raw - FirstReg32 : -1;

    public void Load(Register register, FieldKind kind, int length, string name, uint mask = uint.MaxValue)
    {
        int unit = UnitOf(register);
        if (unit < 0)
        {
            return;
        }
        int units = Math.Max(1, (length + 3) / 4);
        for (int i = 0; i < units && unit + i < _units.Length; i++)
        {
            _units[unit + i] = new RegisterField(kind, length, unit, name, mask);
        }
    }

    public RegisterField Field(Register register)
    {
        int unit = UnitOf(register);
        if (unit < 0)
        {
            return new RegisterField(FieldKind.Unknown, 0, 0, "the verdict register", 0);
        }
        RegisterField field = _units[unit];
        if (field.Kind == FieldKind.Unknown)
        {
            return field with { Name = "register " + register.Raw.ToString(CultureInfo.InvariantCulture) };
        }
        // Comparing from the middle of a field compares something else.
        return field.Start == unit ? field : field with { Kind = FieldKind.Other };
    }

    /// <summary>The fields of a lookup key of <paramref name="keyLength"/> bytes starting at <paramref name="register"/>, with their byte offsets in the key.</summary>
    public List<(RegisterField Field, int Offset)> KeyLayout(Register register, uint keyLength)
    {
        var fields = new List<(RegisterField, int)>();
        int first = UnitOf(register);
        if (first < 0)
        {
            return fields;
        }
        int units = (int)Math.Max(1, (keyLength + 3) / 4);
        int unit = first;
        while (unit < first + units && unit < _units.Length)
        {
            RegisterField field = _units[unit];
            if (field.Kind == FieldKind.Unknown || field.Start != unit)
            {
                field = new RegisterField(FieldKind.Other, 4, unit, field.Kind == FieldKind.Unknown ? "part of the key" : field.Name, uint.MaxValue);
            }
            fields.Add((field, (unit - first) * 4));
            unit += Math.Max(1, (field.Length + 3) / 4);
        }
        return fields;
    }

    public void Clobber(string name)
    {
        for (int i = 0; i < _units.Length; i++)
        {
            _units[i] = new RegisterField(FieldKind.Other, 4, i, name, uint.MaxValue);
        }
    }
}
