using System.Collections.Immutable;
using System.IO;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Netfilter.Net.Tests.Architecture;

/// <summary>
/// Which of an assembly's own types each of its types uses: read from the compiled metadata and
/// IL (base types, interfaces, field and method signatures, locals, catch clauses, and every
/// type, method and field token in method bodies), not from the source's using directives. Nested and
/// compiler-generated types (lambdas' closures, async state machines) count as their outermost
/// declaring type, so a lambda's references belong to the type that wrote it.
/// </summary>
internal static class TypeReferences
{
    /// <summary>For each top-level type (by full name), the top-level types of the same assembly it references (itself excluded).</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Of(Assembly assembly)
    {
        using var pe = new PEReader(File.OpenRead(assembly.Location));
        MetadataReader md = pe.GetMetadataReader();
        var provider = new OwnTypes(md);
        var result = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (TypeDefinitionHandle handle in md.TypeDefinitions)
        {
            string owner = provider.KeyOf(handle);
            if (!result.TryGetValue(owner, out HashSet<string>? uses))
            {
                result[owner] = uses = new HashSet<string>(StringComparer.Ordinal);
            }
            TypeDefinition type = md.GetTypeDefinition(handle);
            Add(uses, provider.Resolve(type.BaseType));
            foreach (InterfaceImplementationHandle i in type.GetInterfaceImplementations())
            {
                Add(uses, provider.Resolve(md.GetInterfaceImplementation(i).Interface));
            }
            foreach (FieldDefinitionHandle f in type.GetFields())
            {
                Add(uses, md.GetFieldDefinition(f).DecodeSignature(provider, null));
            }
            foreach (MethodDefinitionHandle m in type.GetMethods())
            {
                MethodDefinition method = md.GetMethodDefinition(m);
                MethodSignature<ImmutableArray<string>> signature = method.DecodeSignature(provider, null);
                Add(uses, signature.ReturnType);
                foreach (ImmutableArray<string> p in signature.ParameterTypes)
                {
                    Add(uses, p);
                }
                if (method.RelativeVirtualAddress != 0)
                {
                    MethodBodyBlock body = pe.GetMethodBody(method.RelativeVirtualAddress);
                    if (!body.LocalSignature.IsNil)
                    {
                        foreach (ImmutableArray<string> local in md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(provider, null))
                        {
                            Add(uses, local);
                        }
                    }
                    foreach (ExceptionRegion region in body.ExceptionRegions)
                    {
                        // A catch clause's type is in the region table, not in the IL stream.
                        Add(uses, provider.Resolve(region.CatchType));
                    }
                    foreach (EntityHandle token in Tokens(body.GetILReader()))
                    {
                        Add(uses, provider.Resolve(token));
                    }
                }
            }
        }
        foreach ((string owner, HashSet<string> uses) in result)
        {
            uses.Remove(owner);
        }
        return result.ToDictionary(p => p.Key, p => (IReadOnlySet<string>)p.Value, StringComparer.Ordinal);
    }

    private static void Add(HashSet<string> set, ImmutableArray<string> types)
    {
        foreach (string t in types)
        {
            set.Add(t);
        }
    }

    /// <summary>The operand types of every IL opcode, from System.Reflection.Emit's table.</summary>
    private static readonly Dictionary<short, OperandType> Operands = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value, o => o.OperandType);

    /// <summary>The metadata tokens (types, methods, fields) that an IL stream refers to.</summary>
    private static IEnumerable<EntityHandle> Tokens(BlobReader il)
    {
        var tokens = new List<EntityHandle>();
        while (il.RemainingBytes > 0)
        {
            short code = il.ReadByte();
            if (code == 0xFE)
            {
                code = unchecked((short)(0xFE00 | il.ReadByte()));
            }
            switch (Operands[code])
            {
                case OperandType.InlineField:
                case OperandType.InlineMethod:
                case OperandType.InlineTok:
                case OperandType.InlineType:
                    tokens.Add(MetadataTokens.EntityHandle(il.ReadInt32()));
                    break;
                case OperandType.InlineSwitch:
                    int count = il.ReadInt32();
                    il.Offset += count * 4;
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    il.Offset += 8;
                    break;
                default:
                    il.Offset += 4;
                    break;
            }
        }
        return tokens;
    }

    /// <summary>Decodes signatures into the assembly's own top-level types they mention.</summary>
    private sealed class OwnTypes : ISignatureTypeProvider<ImmutableArray<string>, object?>
    {
        private readonly MetadataReader _md;

        public OwnTypes(MetadataReader md) => _md = md;

        /// <summary>"Namespace.Name" of the outermost type that declares <paramref name="handle"/>.</summary>
        public string KeyOf(TypeDefinitionHandle handle)
        {
            TypeDefinition type = _md.GetTypeDefinition(handle);
            while (!type.GetDeclaringType().IsNil)
            {
                type = _md.GetTypeDefinition(type.GetDeclaringType());
            }
            string ns = _md.GetString(type.Namespace);
            string name = _md.GetString(type.Name);
            return ns.Length == 0 ? name : ns + "." + name;
        }

        public ImmutableArray<string> Resolve(EntityHandle handle)
        {
            if (handle.IsNil)
            {
                return ImmutableArray<string>.Empty;
            }
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    return ImmutableArray.Create(KeyOf((TypeDefinitionHandle)handle));
                case HandleKind.TypeSpecification:
                    return _md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                case HandleKind.MethodDefinition:
                    return ImmutableArray.Create(KeyOf(_md.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType()));
                case HandleKind.FieldDefinition:
                    return ImmutableArray.Create(KeyOf(_md.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType()));
                case HandleKind.MethodSpecification:
                    MethodSpecification spec = _md.GetMethodSpecification((MethodSpecificationHandle)handle);
                    return Resolve(spec.Method).AddRange(spec.DecodeSignature(this, null).SelectMany(t => t));
                case HandleKind.MemberReference:
                    MemberReference member = _md.GetMemberReference((MemberReferenceHandle)handle);
                    ImmutableArray<string> parent = Resolve(member.Parent);
                    if (member.GetKind() == MemberReferenceKind.Method)
                    {
                        MethodSignature<ImmutableArray<string>> signature = member.DecodeMethodSignature(this, null);
                        return parent.AddRange(signature.ReturnType).AddRange(signature.ParameterTypes.SelectMany(t => t));
                    }
                    return parent.AddRange(member.DecodeFieldSignature(this, null));
                default:
                    return ImmutableArray<string>.Empty;
            }
        }

        public ImmutableArray<string> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => ImmutableArray.Create(KeyOf(handle));

        public ImmutableArray<string> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => ImmutableArray<string>.Empty;

        public ImmutableArray<string> GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public ImmutableArray<string> GetPrimitiveType(PrimitiveTypeCode typeCode) => ImmutableArray<string>.Empty;

        public ImmutableArray<string> GetSZArrayType(ImmutableArray<string> elementType) => elementType;

        public ImmutableArray<string> GetArrayType(ImmutableArray<string> elementType, ArrayShape shape) => elementType;

        public ImmutableArray<string> GetByReferenceType(ImmutableArray<string> elementType) => elementType;

        public ImmutableArray<string> GetPointerType(ImmutableArray<string> elementType) => elementType;

        public ImmutableArray<string> GetPinnedType(ImmutableArray<string> elementType) => elementType;

        public ImmutableArray<string> GetGenericInstantiation(ImmutableArray<string> genericType, ImmutableArray<ImmutableArray<string>> typeArguments) =>
            genericType.AddRange(typeArguments.SelectMany(t => t));

        public ImmutableArray<string> GetGenericMethodParameter(object? genericContext, int index) => ImmutableArray<string>.Empty;

        public ImmutableArray<string> GetGenericTypeParameter(object? genericContext, int index) => ImmutableArray<string>.Empty;

        public ImmutableArray<string> GetFunctionPointerType(MethodSignature<ImmutableArray<string>> signature) =>
            signature.ReturnType.AddRange(signature.ParameterTypes.SelectMany(t => t));

        public ImmutableArray<string> GetModifiedType(ImmutableArray<string> modifier, ImmutableArray<string> unmodifiedType, bool isRequired) => unmodifiedType;
    }
}
