using System.Globalization;
using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>Resolves an int-or-percent field against a total, like <c>intstr.GetScaledValueFromIntOrPercent</c>.</summary>
public static class IntOrPercent
{
    public static int Scale(IntOrString? value, int total, bool roundUp, int defaultValue)
    {
        var text = value?.Value;
        if (string.IsNullOrEmpty(text))
        {
            return defaultValue;
        }

        if (text.EndsWith('%'))
        {
            var percent = int.Parse(text.AsSpan(0, text.Length - 1), NumberStyles.Integer, CultureInfo.InvariantCulture);
            var exact = (double)percent * total / 100;
            return (int)(roundUp ? Math.Ceiling(exact) : Math.Floor(exact));
        }

        return int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
    }
}
