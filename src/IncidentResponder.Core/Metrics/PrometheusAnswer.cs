using System.Globalization;
using System.Text.Json;

namespace IncidentResponder.Core.Metrics;

/// <summary>What one instant query answered: a number, no data, or why there is no usable answer.</summary>
public abstract record PrometheusAnswer
{
    /// <summary>The query gave a number (of a vector, the largest when <c>worstIsHighest</c>, else the smallest).</summary>
    public sealed record Value(double Number) : PrometheusAnswer;

    /// <summary>The query matched no series (no traffic yet, or a revision without pods): nothing to judge.</summary>
    public sealed record NoData : PrometheusAnswer;

    /// <summary>Prometheus refused the query itself (bad_data: a PromQL syntax error); its own message.</summary>
    public sealed record Rejected(string Message) : PrometheusAnswer;

    /// <summary>Prometheus could not be asked, or answered something that is not a query result.</summary>
    public sealed record Unavailable(string Message) : PrometheusAnswer;

    /// <summary>Reads the body of <c>/api/v1/query</c> (any HTTP status: Prometheus puts its errors in the body too).</summary>
    public static PrometheusAnswer Parse(int httpStatus, string body, bool worstIsHighest)
    {
        ArgumentNullException.ThrowIfNull(body);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return new Unavailable($"HTTP {httpStatus}: the answer is not JSON: {Excerpt(body)}");
        }

        using (document)
        {
            var root = document.RootElement;
            var status = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("status", out var s) ? s.ToString() : null;
            if (status == "error")
            {
                var type = Text(root, "errorType");
                var message = $"{type}: {Text(root, "error")}";
                return type == "bad_data" ? new Rejected(message) : new Unavailable($"HTTP {httpStatus}: {message}");
            }

            if (status != "success" || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            {
                return new Unavailable($"HTTP {httpStatus}: not a Prometheus query answer: {Excerpt(body)}");
            }

            return Result(data, worstIsHighest);
        }
    }

    private static PrometheusAnswer Result(JsonElement data, bool worstIsHighest)
    {
        var type = Text(data, "resultType");
        if (!data.TryGetProperty("result", out var result))
        {
            return new Unavailable("the answer has no result");
        }

        if (type == "scalar")
        {
            return ReadSample(result) is { } scalar ? new Value(scalar) : new Unavailable("a scalar result without a number");
        }

        if (type != "vector" || result.ValueKind != JsonValueKind.Array)
        {
            return new Unavailable($"result type {type}: a check's query must return a scalar or an instant vector");
        }

        var numbers = new List<double>();
        foreach (var element in result.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("value", out var sample) || ReadSample(sample) is not { } number)
            {
                return new Unavailable("a vector element without a [time, value] sample");
            }

            if (!double.IsNaN(number))
            {
                numbers.Add(number);
            }
        }

        return numbers.Count == 0 ? new NoData() : new Value(worstIsHighest ? numbers.Max() : numbers.Min());
    }

    /// <summary>A <c>[unixTime, "value"]</c> pair's value; NaN (0/0, no requests) is a value the caller skips.</summary>
    private static double? ReadSample(JsonElement sample)
    {
        if (sample.ValueKind != JsonValueKind.Array || sample.GetArrayLength() != 2 || sample[1].ValueKind != JsonValueKind.String)
        {
            return null;
        }

        return sample[1].GetString() switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            var text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) => value,
            _ => null,
        };
    }

    private static string Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) ? value.ToString() : string.Empty;

    private static string Excerpt(string body)
    {
        var line = body.ReplaceLineEndings(" ").Trim();
        return line.Length <= 120 ? line : line[..120] + "…";
    }
}
