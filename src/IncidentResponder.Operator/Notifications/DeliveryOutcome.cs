namespace IncidentResponder.Operator.Notifications;

/// <summary>How one delivery (with its retries) ended.</summary>
public abstract record DeliveryOutcome(int Attempts)
{
    public sealed record Delivered(int Attempts, int StatusCode) : DeliveryOutcome(Attempts);

    /// <param name="Reason">The metric label: secret_missing, secret_forbidden, invalid_url, rejected (4xx), rate_limited (429), server_error (5xx), network, timeout.</param>
    /// <param name="Message">For the status and the timeline: never the Secret's content (a Slack URL is a credential).</param>
    public sealed record Failed(int Attempts, string Reason, string Message) : DeliveryOutcome(Attempts);
}
