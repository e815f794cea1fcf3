using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;
using IncidentResponder.Simulator.Validation;

namespace IncidentResponder.Simulator.Crd;

/// <summary>
/// Custom resource admission against the CRD version's structural schema: pruning of unknown fields (400 under
/// <c>fieldValidation=Strict</c>, a warning under Warn), defaulting, schema validation and CEL rules (422 Invalid).
/// CEL rules the CEL engine cannot evaluate are reported as warnings on every write, never silently skipped.
/// </summary>
internal sealed class CustomResourceAdmissionStep : IAdmissionStep
{
    private readonly ConcurrentDictionary<(string Crd, string Version, string ResourceVersion), CustomResourceValidator> _validators = new();

    public void Admit(AdmissionContext context, JsonObject obj, JsonObject? old)
    {
        var definition = context.Definition;
        if (!definition.IsCustom || definition.Crd is not { } crd)
        {
            return;
        }

        var crdName = ObjectRules.Str(crd["metadata"]?["name"]) ?? string.Empty;
        var key = (crdName, definition.Type.Version, ObjectRules.Str(crd["metadata"]?["resourceVersion"]) ?? string.Empty);
        var validator = _validators.GetOrAdd(key, _ => CustomResourceValidator.ForCrdVersion(crd, definition.Type.Version));
        var metadata = obj["metadata"];
        var admission = validator.Admit(obj);
        var name = ObjectRules.Str(metadata?["name"]) ?? string.Empty;

        if (admission.PrunedFields.Count > 0)
        {
            switch (context.Options.FieldValidation)
            {
                case FieldValidation.Strict:
                    var unknown = admission.PrunedFields.Select(f => $"unknown field \"{f}\"").ToList();
                    throw ApiErrors.BadRequest($"{definition.Type.Kind} in version \"{definition.Type.Version}\" cannot be handled as a {definition.Type.Kind}: strict decoding error: {string.Join(", ", unknown)}");
                case FieldValidation.Warn:
                    context.Options.Warnings.AddRange(admission.PrunedFields.Select(f => $"unknown field \"{f}\""));
                    break;
            }
        }

        if (!admission.IsValid)
        {
            throw ApiErrors.Invalid(definition, name, admission.Errors.Select(e => new FieldCause(e.Reason, e.Body, e.Field)).ToList());
        }

        context.Options.Warnings.AddRange(admission.Warnings);
        foreach (var (field, value) in admission.Object.ToList())
        {
            admission.Object.Remove(field);
            obj[field] = value;
        }

        foreach (var field in obj.Select(p => p.Key).Where(k => !admission.Object.ContainsKey(k) && k is not ("metadata" or "kind" or "apiVersion")).ToList())
        {
            if (admission.PrunedFields.Contains(field))
            {
                obj.Remove(field);
            }
        }
    }
}
