using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.Http;

/// <summary>
/// Decodes the Kubernetes protobuf envelope (<c>k8s\0</c> + runtime.Unknown) for the bodies kubectl's typed clients
/// send as <c>application/vnd.kubernetes.protobuf</c> (<c>kubectl create deployment|namespace|configmap|secret|job</c>),
/// using the field numbers of k8s.io/api's generated.proto. A field outside this table is a 415 naming it, never
/// silently dropped.
/// </summary>
internal static class ProtobufDecoder
{
    private enum Kind { Str, Int, Bool, Msg, RepStr, RepMsg, MapStr, MapBytes, MapQuantity, Time, IntOrString, Ignore }

    private sealed record Field(string Json, Kind Kind, string? Message = null);

    private static readonly Dictionary<string, Dictionary<int, Field>> Messages = new()
    {
        ["ObjectMeta"] = new()
        {
            [1] = new("name", Kind.Str), [2] = new("generateName", Kind.Str), [3] = new("namespace", Kind.Str), [5] = new("uid", Kind.Str),
            [6] = new("resourceVersion", Kind.Str), [7] = new("generation", Kind.Int), [8] = new("creationTimestamp", Kind.Time),
            [11] = new("labels", Kind.MapStr), [12] = new("annotations", Kind.MapStr), [13] = new("ownerReferences", Kind.RepMsg, "OwnerReference"),
            [14] = new("finalizers", Kind.RepStr),
        },
        ["OwnerReference"] = new()
        {
            [1] = new("kind", Kind.Str), [3] = new("name", Kind.Str), [4] = new("uid", Kind.Str), [5] = new("apiVersion", Kind.Str),
            [6] = new("controller", Kind.Bool), [7] = new("blockOwnerDeletion", Kind.Bool),
        },
        ["Deployment"] = new() { [1] = new("metadata", Kind.Msg, "ObjectMeta"), [2] = new("spec", Kind.Msg, "DeploymentSpec"), [3] = new("status", Kind.Ignore) },
        ["DeploymentSpec"] = new()
        {
            [1] = new("replicas", Kind.Int), [2] = new("selector", Kind.Msg, "LabelSelector"), [3] = new("template", Kind.Msg, "PodTemplateSpec"),
            [4] = new("strategy", Kind.Msg, "DeploymentStrategy"), [5] = new("minReadySeconds", Kind.Int), [6] = new("revisionHistoryLimit", Kind.Int),
            [7] = new("paused", Kind.Bool), [9] = new("progressDeadlineSeconds", Kind.Int),
        },
        ["LabelSelector"] = new() { [1] = new("matchLabels", Kind.MapStr), [2] = new("matchExpressions", Kind.RepMsg, "LabelSelectorRequirement") },
        ["LabelSelectorRequirement"] = new() { [1] = new("key", Kind.Str), [2] = new("operator", Kind.Str), [3] = new("values", Kind.RepStr) },
        ["DeploymentStrategy"] = new() { [1] = new("type", Kind.Str), [2] = new("rollingUpdate", Kind.Msg, "RollingUpdateDeployment") },
        ["RollingUpdateDeployment"] = new() { [1] = new("maxUnavailable", Kind.IntOrString), [2] = new("maxSurge", Kind.IntOrString) },
        ["PodTemplateSpec"] = new() { [1] = new("metadata", Kind.Msg, "ObjectMeta"), [2] = new("spec", Kind.Msg, "PodSpec") },
        ["PodSpec"] = new()
        {
            [2] = new("containers", Kind.RepMsg, "Container"), [3] = new("restartPolicy", Kind.Str), [4] = new("terminationGracePeriodSeconds", Kind.Int),
            [6] = new("dnsPolicy", Kind.Str), [8] = new("serviceAccountName", Kind.Str), [10] = new("nodeName", Kind.Str),
            [14] = new("securityContext", Kind.Msg, "PodSecurityContext"), [19] = new("schedulerName", Kind.Str),
            [20] = new("initContainers", Kind.RepMsg, "Container"),
        },
        ["PodSecurityContext"] = new(),
        ["Job"] = new() { [1] = new("metadata", Kind.Msg, "ObjectMeta"), [2] = new("spec", Kind.Msg, "JobSpec"), [3] = new("status", Kind.Ignore) },
        ["JobSpec"] = new()
        {
            [1] = new("parallelism", Kind.Int), [2] = new("completions", Kind.Int), [3] = new("activeDeadlineSeconds", Kind.Int),
            [4] = new("selector", Kind.Msg, "LabelSelector"), [5] = new("manualSelector", Kind.Bool), [6] = new("template", Kind.Msg, "PodTemplateSpec"),
            [7] = new("backoffLimit", Kind.Int), [8] = new("ttlSecondsAfterFinished", Kind.Int), [9] = new("completionMode", Kind.Str),
            [10] = new("suspend", Kind.Bool), [14] = new("podReplacementPolicy", Kind.Str),
        },
        ["Container"] = new()
        {
            [1] = new("name", Kind.Str), [2] = new("image", Kind.Str), [3] = new("command", Kind.RepStr), [4] = new("args", Kind.RepStr),
            [5] = new("workingDir", Kind.Str), [6] = new("ports", Kind.RepMsg, "ContainerPort"), [7] = new("env", Kind.RepMsg, "EnvVar"),
            [8] = new("resources", Kind.Msg, "ResourceRequirements"), [13] = new("terminationMessagePath", Kind.Str),
            [14] = new("imagePullPolicy", Kind.Str), [20] = new("terminationMessagePolicy", Kind.Str),
        },
        ["ContainerPort"] = new() { [1] = new("name", Kind.Str), [2] = new("hostPort", Kind.Int), [3] = new("containerPort", Kind.Int), [4] = new("protocol", Kind.Str), [5] = new("hostIP", Kind.Str) },
        ["EnvVar"] = new() { [1] = new("name", Kind.Str), [2] = new("value", Kind.Str) },
        ["ResourceRequirements"] = new() { [1] = new("limits", Kind.MapQuantity), [2] = new("requests", Kind.MapQuantity) },
        ["Namespace"] = new() { [1] = new("metadata", Kind.Msg, "ObjectMeta"), [2] = new("spec", Kind.Msg, "NamespaceSpec"), [3] = new("status", Kind.Ignore) },
        ["NamespaceSpec"] = new() { [1] = new("finalizers", Kind.RepStr) },
        ["ConfigMap"] = new() { [1] = new("metadata", Kind.Msg, "ObjectMeta"), [2] = new("data", Kind.MapStr), [3] = new("binaryData", Kind.MapBytes), [4] = new("immutable", Kind.Bool) },
        ["Secret"] = new()
        {
            [1] = new("metadata", Kind.Msg, "ObjectMeta"), [2] = new("data", Kind.MapBytes), [3] = new("type", Kind.Str),
            [4] = new("stringData", Kind.MapStr), [5] = new("immutable", Kind.Bool),
        },
    };

    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (!body.StartsWith(Magic))
        {
            throw ApiErrors.BadRequest("protobuf body does not start with the k8s envelope prefix");
        }

        string? apiVersion = null;
        string? kind = null;
        ReadOnlySpan<byte> raw = default;
        var reader = new Reader(body[Magic.Length..]);
        while (!reader.End)
        {
            var (number, wire) = reader.Tag();
            switch (number)
            {
                case 1:
                    var typeMeta = new Reader(reader.Bytes());
                    while (!typeMeta.End)
                    {
                        var (n, _) = typeMeta.Tag();
                        var text = Encoding.UTF8.GetString(typeMeta.Bytes());
                        if (n == 1)
                        {
                            apiVersion = text;
                        }
                        else if (n == 2)
                        {
                            kind = text;
                        }
                    }

                    break;
                case 2:
                    raw = reader.Bytes();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        if (kind is null || !Messages.ContainsKey(kind))
        {
            throw ApiErrors.UnsupportedMediaType($"the simulator cannot decode protobuf bodies of kind {kind ?? "(none)"}; send application/json");
        }

        var result = new JsonObject { ["kind"] = kind, ["apiVersion"] = apiVersion };
        foreach (var (key, value) in DecodeMessage(kind, raw).ToList())
        {
            result[key] = value?.DeepClone();
        }

        return result;
    }

    private static JsonObject DecodeMessage(string message, ReadOnlySpan<byte> bytes)
    {
        var schema = Messages[message];
        var obj = new JsonObject();
        var reader = new Reader(bytes);
        while (!reader.End)
        {
            var (number, wire) = reader.Tag();
            if (!schema.TryGetValue(number, out var field))
            {
                // Go's generated marshallers write every non-pointer field, even empty ones (ObjectMeta.selfLink ""),
                // so a field we do not map that holds the zero value carries nothing and is skipped.
                if (!reader.SkipIfZeroValue(wire))
                {
                    throw ApiErrors.UnsupportedMediaType($"the simulator cannot decode protobuf field {number} of {message}; send application/json");
                }

                continue;
            }

            switch (field.Kind)
            {
                case Kind.Ignore:
                    reader.Skip(wire);
                    break;
                case Kind.Str:
                    obj[field.Json] = Encoding.UTF8.GetString(reader.Bytes());
                    break;
                case Kind.Int:
                    obj[field.Json] = (long)reader.Varint();
                    break;
                case Kind.Bool:
                    obj[field.Json] = reader.Varint() != 0;
                    break;
                case Kind.Msg:
                    obj[field.Json] = DecodeMessage(field.Message!, reader.Bytes());
                    break;
                case Kind.RepStr:
                    Array(obj, field.Json).Add(Encoding.UTF8.GetString(reader.Bytes()));
                    break;
                case Kind.RepMsg:
                    Array(obj, field.Json).Add(DecodeMessage(field.Message!, reader.Bytes()));
                    break;
                case Kind.MapStr or Kind.MapBytes or Kind.MapQuantity:
                    var (key, value) = MapEntry(reader.Bytes());
                    var map = obj[field.Json] as JsonObject ?? new JsonObject();
                    obj[field.Json] = map;
                    map[key] = field.Kind switch
                    {
                        Kind.MapBytes => Convert.ToBase64String(value),
                        Kind.MapQuantity => Quantity(value),
                        _ => Encoding.UTF8.GetString(value),
                    };
                    break;
                case Kind.Time:
                    obj[field.Json] = Time(reader.Bytes());
                    break;
                case Kind.IntOrString:
                    obj[field.Json] = IntOrString(reader.Bytes());
                    break;
            }
        }

        return obj;
    }

    private static JsonArray Array(JsonObject obj, string name)
    {
        if (obj[name] is JsonArray array)
        {
            return array;
        }

        array = [];
        obj[name] = array;
        return array;
    }

    private static (string Key, byte[] Value) MapEntry(ReadOnlySpan<byte> bytes)
    {
        var reader = new Reader(bytes);
        var key = string.Empty;
        var value = System.Array.Empty<byte>();
        while (!reader.End)
        {
            var (n, _) = reader.Tag();
            if (n == 1)
            {
                key = Encoding.UTF8.GetString(reader.Bytes());
            }
            else
            {
                value = reader.Bytes().ToArray();
            }
        }

        return (key, value);
    }

    private static string Quantity(byte[] bytes)
    {
        var reader = new Reader(bytes);
        while (!reader.End)
        {
            var (n, wire) = reader.Tag();
            if (n == 1)
            {
                return Encoding.UTF8.GetString(reader.Bytes());
            }

            reader.Skip(wire);
        }

        return "0";
    }

    private static string Time(ReadOnlySpan<byte> bytes)
    {
        var reader = new Reader(bytes);
        long seconds = 0;
        while (!reader.End)
        {
            var (n, wire) = reader.Tag();
            if (n == 1)
            {
                seconds = (long)reader.Varint();
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    private static JsonNode IntOrString(ReadOnlySpan<byte> bytes)
    {
        var reader = new Reader(bytes);
        long type = 0;
        long intValue = 0;
        var text = string.Empty;
        while (!reader.End)
        {
            var (n, wire) = reader.Tag();
            switch (n)
            {
                case 1:
                    type = (long)reader.Varint();
                    break;
                case 2:
                    intValue = (long)reader.Varint();
                    break;
                case 3:
                    text = Encoding.UTF8.GetString(reader.Bytes());
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return type == 1 ? JsonValue.Create(text) : JsonValue.Create(intValue);
    }

    /// <summary>A protobuf wire-format reader over a span.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly bool End => _position >= _data.Length;

        public (int Number, int Wire) Tag()
        {
            var tag = Varint();
            return ((int)(tag >> 3), (int)(tag & 7));
        }

        public ulong Varint()
        {
            ulong result = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (_position >= _data.Length)
                {
                    throw ApiErrors.BadRequest("truncated protobuf body");
                }

                var b = _data[_position++];
                result |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return result;
                }
            }

            throw ApiErrors.BadRequest("malformed protobuf varint");
        }

        public ReadOnlySpan<byte> Bytes()
        {
            var length = (int)Varint();
            if (length < 0 || _position + length > _data.Length)
            {
                throw ApiErrors.BadRequest("truncated protobuf body");
            }

            var slice = _data.Slice(_position, length);
            _position += length;
            return slice;
        }

        /// <summary>Skips the value when it is the protobuf zero value (empty bytes, varint 0); otherwise reads nothing.</summary>
        public bool SkipIfZeroValue(int wire)
        {
            var start = _position;
            var zero = wire switch
            {
                0 => Varint() == 0,
                2 => Bytes().IsEmpty,
                _ => false,
            };
            if (!zero)
            {
                _position = start;
            }

            return zero;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0:
                    Varint();
                    break;
                case 1:
                    _position += 8;
                    break;
                case 2:
                    Bytes();
                    break;
                case 5:
                    _position += 4;
                    break;
                default:
                    throw ApiErrors.BadRequest($"unsupported protobuf wire type {wire}");
            }
        }
    }
}
