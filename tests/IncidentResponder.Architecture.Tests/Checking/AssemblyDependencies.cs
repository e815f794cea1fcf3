using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace IncidentResponder.Architecture.Tests.Checking;

/// <summary>
/// The dependencies of every top-level type in one assembly, read from its file with System.Reflection.Metadata:
/// nothing is loaded or run. Method bodies are decoded, so a call to <c>DateTime.UtcNow</c> inside a lambda counts
/// against the type that wrote the lambda.
/// </summary>
public sealed class AssemblyDependencies
{
    private AssemblyDependencies(string name, IReadOnlyList<TypeDependencies> types)
    {
        Name = name;
        Types = types;
    }

    /// <summary>The assembly's simple name, e.g. <c>IncidentResponder.Core</c>.</summary>
    public string Name { get; }

    /// <summary>Every top-level type the assembly defines, with what it uses.</summary>
    public IReadOnlyList<TypeDependencies> Types { get; }

    /// <summary>Reads an assembly that sits beside the tests, by simple name.</summary>
    public static AssemblyDependencies Load(string assemblyName) =>
        Read(Path.Combine(AppContext.BaseDirectory, assemblyName + ".dll"));

    public static AssemblyDependencies Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = new Reader(pe);
        return new AssemblyDependencies(reader.AssemblyName, reader.ReadAll());
    }

    private sealed class Reader : ISignatureTypeProvider<ImmutableArray<TypeName>, object?>
    {
        private static readonly Dictionary<ushort, OperandType> Operands = typeof(OpCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(field => (OpCode)field.GetValue(null)!)
            .ToDictionary(code => (ushort)code.Value, code => code.OperandType);

        private readonly PEReader pe;
        private readonly MetadataReader md;
        private HashSet<TypeName> types = [];
        private HashSet<MemberName> members = [];

        public Reader(PEReader pe)
        {
            this.pe = pe;
            md = pe.GetMetadataReader();
            AssemblyName = md.GetString(md.GetAssemblyDefinition().Name);
        }

        public string AssemblyName { get; }

        public List<TypeDependencies> ReadAll()
        {
            var byOwner = new Dictionary<TypeDefinitionHandle, (HashSet<TypeName> Types, HashSet<MemberName> Members)>();
            foreach (var handle in md.TypeDefinitions)
            {
                var owner = Outermost(handle);
                if (IsModuleType(owner))
                {
                    continue;
                }

                if (!byOwner.TryGetValue(owner, out var sets))
                {
                    sets = ([], []);
                    byOwner[owner] = sets;
                }

                types = sets.Types;
                members = sets.Members;
                ReadType(handle);
            }

            return byOwner
                .Select(pair =>
                {
                    var self = Definition(pair.Key);
                    pair.Value.Types.Remove(self);
                    return new TypeDependencies(self, pair.Value.Types, pair.Value.Members);
                })
                .OrderBy(dependencies => dependencies.Type.FullName, StringComparer.Ordinal)
                .ToList();
        }

        private bool IsModuleType(TypeDefinitionHandle handle) =>
            md.GetString(md.GetTypeDefinition(handle).Name) == "<Module>";

        private TypeDefinitionHandle Outermost(TypeDefinitionHandle handle)
        {
            while (true)
            {
                var declaring = md.GetTypeDefinition(handle).GetDeclaringType();
                if (declaring.IsNil)
                {
                    return handle;
                }

                handle = declaring;
            }
        }

        private void ReadType(TypeDefinitionHandle handle)
        {
            var type = md.GetTypeDefinition(handle);
            AddEntity(type.BaseType);
            foreach (var implementation in type.GetInterfaceImplementations())
            {
                AddEntity(md.GetInterfaceImplementation(implementation).Interface);
            }

            AddAttributes(type.GetCustomAttributes());
            AddGenericParameters(type.GetGenericParameters());

            foreach (var fieldHandle in type.GetFields())
            {
                var field = md.GetFieldDefinition(fieldHandle);
                Add(field.DecodeSignature(this, null));
                AddAttributes(field.GetCustomAttributes());
            }

            foreach (var propertyHandle in type.GetProperties())
            {
                var property = md.GetPropertyDefinition(propertyHandle);
                AddSignature(property.DecodeSignature(this, null));
                AddAttributes(property.GetCustomAttributes());
            }

            foreach (var eventHandle in type.GetEvents())
            {
                var @event = md.GetEventDefinition(eventHandle);
                AddEntity(@event.Type);
                AddAttributes(@event.GetCustomAttributes());
            }

            foreach (var methodHandle in type.GetMethods())
            {
                ReadMethod(md.GetMethodDefinition(methodHandle));
            }
        }

        private void ReadMethod(MethodDefinition method)
        {
            AddSignature(method.DecodeSignature(this, null));
            AddAttributes(method.GetCustomAttributes());
            AddGenericParameters(method.GetGenericParameters());
            foreach (var parameterHandle in method.GetParameters())
            {
                AddAttributes(md.GetParameter(parameterHandle).GetCustomAttributes());
            }

            if (method.RelativeVirtualAddress == 0)
            {
                return;
            }

            var body = pe.GetMethodBody(method.RelativeVirtualAddress);
            if (!body.LocalSignature.IsNil)
            {
                foreach (var local in md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(this, null))
                {
                    Add(local);
                }
            }

            foreach (var region in body.ExceptionRegions)
            {
                AddEntity(region.CatchType);
            }

            ReadInstructions(body.GetILReader());
        }

        private void ReadInstructions(BlobReader il)
        {
            while (il.RemainingBytes > 0)
            {
                ushort code = il.ReadByte();
                if (code == 0xFE)
                {
                    code = (ushort)(0xFE00 | il.ReadByte());
                }

                switch (Operands[code])
                {
                    case OperandType.InlineNone:
                        break;
                    case OperandType.ShortInlineBrTarget:
                    case OperandType.ShortInlineI:
                    case OperandType.ShortInlineVar:
                        il.ReadByte();
                        break;
                    case OperandType.InlineVar:
                        il.ReadInt16();
                        break;
                    case OperandType.InlineBrTarget:
                    case OperandType.InlineI:
                    case OperandType.ShortInlineR:
                    case OperandType.InlineString:
                    case OperandType.InlineSig:
                        il.ReadInt32();
                        break;
                    case OperandType.InlineI8:
                    case OperandType.InlineR:
                        il.ReadInt64();
                        break;
                    case OperandType.InlineSwitch:
                        var targets = il.ReadInt32();
                        il.Offset += targets * 4;
                        break;
                    case OperandType.InlineField:
                    case OperandType.InlineMethod:
                    case OperandType.InlineTok:
                    case OperandType.InlineType:
                        AddEntity(MetadataTokens.EntityHandle(il.ReadInt32()));
                        break;
                    default:
                        throw new InvalidOperationException($"Unknown operand type of IL opcode 0x{code:X4}.");
                }
            }
        }

        private void AddGenericParameters(GenericParameterHandleCollection parameters)
        {
            foreach (var parameterHandle in parameters)
            {
                foreach (var constraintHandle in md.GetGenericParameter(parameterHandle).GetConstraints())
                {
                    AddEntity(md.GetGenericParameterConstraint(constraintHandle).Type);
                }
            }
        }

        private void AddAttributes(CustomAttributeHandleCollection attributes)
        {
            foreach (var attributeHandle in attributes)
            {
                AddEntity(md.GetCustomAttribute(attributeHandle).Constructor);
            }
        }

        private void AddSignature(MethodSignature<ImmutableArray<TypeName>> signature)
        {
            Add(signature.ReturnType);
            foreach (var parameter in signature.ParameterTypes)
            {
                Add(parameter);
            }
        }

        private void Add(ImmutableArray<TypeName> found) => types.UnionWith(found);

        /// <summary>Records a type, method or field token; a member also records its declaring type and signature.</summary>
        private void AddEntity(EntityHandle handle)
        {
            if (handle.IsNil)
            {
                return;
            }

            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                case HandleKind.TypeReference:
                case HandleKind.TypeSpecification:
                    Add(TypesOf(handle));
                    break;
                case HandleKind.MethodDefinition:
                    var method = md.GetMethodDefinition((MethodDefinitionHandle)handle);
                    AddMember(Definition(method.GetDeclaringType()), md.GetString(method.Name));
                    AddSignature(method.DecodeSignature(this, null));
                    break;
                case HandleKind.FieldDefinition:
                    var field = md.GetFieldDefinition((FieldDefinitionHandle)handle);
                    AddMember(Definition(field.GetDeclaringType()), md.GetString(field.Name));
                    Add(field.DecodeSignature(this, null));
                    break;
                case HandleKind.MemberReference:
                    AddMemberReference(md.GetMemberReference((MemberReferenceHandle)handle));
                    break;
                case HandleKind.MethodSpecification:
                    var specification = md.GetMethodSpecification((MethodSpecificationHandle)handle);
                    AddEntity(specification.Method);
                    foreach (var argument in specification.DecodeSignature(this, null))
                    {
                        Add(argument);
                    }

                    break;
                default:
                    break;
            }
        }

        private void AddMemberReference(MemberReference reference)
        {
            var name = md.GetString(reference.Name);
            var parent = reference.Parent;
            if (parent.Kind is HandleKind.TypeDefinition or HandleKind.TypeReference or HandleKind.TypeSpecification)
            {
                var declaring = TypesOf(parent);
                Add(declaring);
                if (declaring.Length > 0)
                {
                    // A type specification lists the generic type first, then its arguments.
                    AddMember(declaring[0], name);
                }
            }
            else if (parent.Kind == HandleKind.MethodDefinition)
            {
                AddEntity(parent);
            }

            if (reference.GetKind() == MemberReferenceKind.Method)
            {
                AddSignature(reference.DecodeMethodSignature(this, null));
            }
            else
            {
                Add(reference.DecodeFieldSignature(this, null));
            }
        }

        private void AddMember(TypeName type, string member)
        {
            types.Add(type);
            members.Add(new MemberName(type, member));
        }

        private ImmutableArray<TypeName> TypesOf(EntityHandle handle) => handle.Kind switch
        {
            HandleKind.TypeDefinition => [Definition((TypeDefinitionHandle)handle)],
            HandleKind.TypeReference => [Reference((TypeReferenceHandle)handle)],
            HandleKind.TypeSpecification => md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null),
            _ => [],
        };

        private TypeName Definition(TypeDefinitionHandle handle)
        {
            var type = md.GetTypeDefinition(handle);
            var name = md.GetString(type.Name);
            var declaring = type.GetDeclaringType();
            if (!declaring.IsNil)
            {
                var outer = Definition(declaring);
                return outer with { FullName = outer.FullName + "+" + name };
            }

            var ns = md.GetString(type.Namespace);
            return new TypeName(AssemblyName, ns, Qualify(ns, name));
        }

        private TypeName Reference(TypeReferenceHandle handle)
        {
            var type = md.GetTypeReference(handle);
            var name = md.GetString(type.Name);
            var scope = type.ResolutionScope;
            if (scope.Kind == HandleKind.TypeReference)
            {
                var outer = Reference((TypeReferenceHandle)scope);
                return outer with { FullName = outer.FullName + "+" + name };
            }

            var assembly = scope.Kind == HandleKind.AssemblyReference
                ? md.GetString(md.GetAssemblyReference((AssemblyReferenceHandle)scope).Name)
                : AssemblyName;
            var ns = md.GetString(type.Namespace);
            return new TypeName(assembly, ns, Qualify(ns, name));
        }

        private static string Qualify(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;

        // Signature decoding: every type a signature names, flattened (generic arguments, array elements...).
        public ImmutableArray<TypeName> GetPrimitiveType(PrimitiveTypeCode typeCode) => [];

        public ImmutableArray<TypeName> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
            [Definition(handle)];

        public ImmutableArray<TypeName> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) =>
            [Reference(handle)];

        public ImmutableArray<TypeName> GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public ImmutableArray<TypeName> GetSZArrayType(ImmutableArray<TypeName> elementType) => elementType;

        public ImmutableArray<TypeName> GetArrayType(ImmutableArray<TypeName> elementType, ArrayShape shape) => elementType;

        public ImmutableArray<TypeName> GetByReferenceType(ImmutableArray<TypeName> elementType) => elementType;

        public ImmutableArray<TypeName> GetPointerType(ImmutableArray<TypeName> elementType) => elementType;

        public ImmutableArray<TypeName> GetPinnedType(ImmutableArray<TypeName> elementType) => elementType;

        public ImmutableArray<TypeName> GetGenericInstantiation(ImmutableArray<TypeName> genericType, ImmutableArray<ImmutableArray<TypeName>> typeArguments) =>
            genericType.AddRange(typeArguments.SelectMany(argument => argument));

        public ImmutableArray<TypeName> GetGenericMethodParameter(object? genericContext, int index) => [];

        public ImmutableArray<TypeName> GetGenericTypeParameter(object? genericContext, int index) => [];

        public ImmutableArray<TypeName> GetFunctionPointerType(MethodSignature<ImmutableArray<TypeName>> signature) =>
            signature.ReturnType.AddRange(signature.ParameterTypes.SelectMany(parameter => parameter));

        public ImmutableArray<TypeName> GetModifiedType(ImmutableArray<TypeName> modifier, ImmutableArray<TypeName> unmodifiedType, bool isRequired) =>
            unmodifiedType;
    }
}
