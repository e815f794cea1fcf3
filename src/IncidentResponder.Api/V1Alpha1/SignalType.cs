using System.ComponentModel;

namespace IncidentResponder.Api.V1Alpha1;

/// <summary>What was observed. The raw Kubernetes reason (e.g. ImagePullBackOff) travels beside it.</summary>
[Description("The kind of failure observed on the target.")]
public enum SignalType
{
    /// <summary>The Deployment reported ProgressDeadlineExceeded.</summary>
    RolloutStuck,

    /// <summary>Containers of the target restart in CrashLoopBackOff.</summary>
    CrashLoop,

    /// <summary>Images cannot be pulled (ErrImagePull, ImagePullBackOff).</summary>
    ImagePull,

    /// <summary>Containers cannot be created from their configuration (CreateContainerConfigError).</summary>
    ConfigError,

    /// <summary>Containers were killed for exceeding their memory limit.</summary>
    OOMKilled,

    /// <summary>Pods run but fail their readiness probes.</summary>
    ReadinessFailing,

    /// <summary>Containers restart far more often than normal.</summary>
    RestartStorm,

    /// <summary>A dependency of the target fails (reported by an alert or declared by a person).</summary>
    DependencyFailure,

    /// <summary>Bad data, not bad code or capacity: a human must decide.</summary>
    DataIssue,

    /// <summary>A Prometheus alert received through Alertmanager.</summary>
    Alert,

    /// <summary>Declared by a person.</summary>
    Manual,

    /// <summary>Requests fail more often than normal (5xx responses), reported by an alert.</summary>
    ErrorRate,

    /// <summary>Requests are slower than normal (p99 latency), reported by an alert.</summary>
    Latency,

    /// <summary>A resource runs out (CPU, memory, connections, queue depth), reported by an alert: resource exhaustion.</summary>
    Saturation,

    /// <summary>The service's health check or a synthetic probe fails, reported by an alert.</summary>
    HealthCheckFailing,
}
