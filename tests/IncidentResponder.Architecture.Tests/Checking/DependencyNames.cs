namespace IncidentResponder.Architecture.Tests.Checking;

/// <summary>
/// A type that some code depends on: the assembly that defines it, its namespace and its full name (a nested type is
/// written <c>Outer+Inner</c>, a generic one keeps its arity, <c>List`1</c>).
/// </summary>
public sealed record TypeName(string Assembly, string Namespace, string FullName)
{
    public override string ToString() => FullName;
}

/// <summary>A method or field that some code uses, e.g. <c>System.DateTime::get_UtcNow</c>.</summary>
public sealed record MemberName(TypeName Type, string Member)
{
    public override string ToString() => $"{Type.FullName}::{Member}";
}

/// <summary>
/// What one top-level type of an assembly uses, counting its nested and compiler-generated types (lambdas, async and
/// iterator state machines) as its own: base types, interfaces, attributes, signatures, locals, and every type,
/// method and field its method bodies name.
/// </summary>
public sealed record TypeDependencies(TypeName Type, IReadOnlySet<TypeName> Types, IReadOnlySet<MemberName> Members);
