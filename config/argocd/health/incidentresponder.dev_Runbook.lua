-- Argo CD health of a Runbook (resource.customizations.health.incidentresponder.dev_Runbook): Healthy when the
-- operator found it valid for the current generation, Degraded with the operator's reason when it did not, Progressing
-- until the operator has looked. Only Lua's base functions are used.
local hs = { status = "Progressing", message = "Waiting for the operator to validate the runbook" }
local status = obj.status
if status == nil or status.conditions == nil then
  return hs
end
if status.observedGeneration == nil or (obj.metadata.generation ~= nil and status.observedGeneration < obj.metadata.generation) then
  hs.message = "Waiting for the operator to observe generation " .. tostring(obj.metadata.generation)
  return hs
end
for _, c in ipairs(status.conditions) do
  if c.type == "Ready" then
    if c.status == "True" then
      hs.status = "Healthy"
      hs.message = "Valid"
      if status.stepCount ~= nil then
        hs.message = "Valid, " .. tostring(status.stepCount) .. " steps"
      end
    elseif c.status == "False" then
      hs.status = "Degraded"
      hs.message = tostring(c.reason) .. ": " .. tostring(c.message)
    end
    return hs
  end
end
return hs
