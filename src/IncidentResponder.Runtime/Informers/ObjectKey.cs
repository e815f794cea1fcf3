namespace IncidentResponder.Runtime.Informers;

/// <summary>Namespace and name: the identity of an object in a store.</summary>
public readonly record struct ObjectKey(string? Namespace, string Name)
{
    public static ObjectKey Of(ICachedObject obj) => new(obj.Namespace, obj.Name);

    public override string ToString() => string.IsNullOrEmpty(Namespace) ? Name : $"{Namespace}/{Name}";
}
