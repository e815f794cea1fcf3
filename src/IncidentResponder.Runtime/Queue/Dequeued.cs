namespace IncidentResponder.Runtime.Queue;

/// <summary>The result of taking from a queue: an item to process, or the news that the queue has shut down and is empty.</summary>
public readonly record struct Dequeued<T>(T Item, bool ShutDown)
{
    public static Dequeued<T> Closed => new(default!, true);
}
