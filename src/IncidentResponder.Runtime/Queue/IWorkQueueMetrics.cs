namespace IncidentResponder.Runtime.Queue;

/// <summary>What a work queue reports (client-go's workqueue metrics); the Prometheus implementation lives in Metrics/.</summary>
public interface IWorkQueueMetrics
{
    void Added();

    void DepthChanged(int depth);

    void WaitedInQueue(TimeSpan duration);

    void Worked(TimeSpan duration);

    void Retried();
}

/// <summary>For queues nobody scrapes (tests, tools).</summary>
public sealed class NoWorkQueueMetrics : IWorkQueueMetrics
{
    public static readonly NoWorkQueueMetrics Instance = new();

    public void Added()
    {
    }

    public void DepthChanged(int depth)
    {
    }

    public void WaitedInQueue(TimeSpan duration)
    {
    }

    public void Worked(TimeSpan duration)
    {
    }

    public void Retried()
    {
    }
}
