namespace IncidentResponder.Runtime.Events;

/// <summary>The two event types Kubernetes defines.</summary>
public static class EventType
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";
}
