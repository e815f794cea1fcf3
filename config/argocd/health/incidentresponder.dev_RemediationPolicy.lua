-- Argo CD health of a RemediationPolicy (resource.customizations.health.incidentresponder.dev_RemediationPolicy):
-- Suspended while spec.paused holds remediation, Healthy when every runbook it routes to is valid for the current
-- generation, Degraded with the operator's reason otherwise, Progressing until the operator has looked. Only Lua's
-- base functions are used.
local hs = { status = "Progressing", message = "Waiting for the operator to check the policy" }
if obj.spec ~= nil and obj.spec.paused == true then
  hs.status = "Suspended"
  hs.message = "Remediation paused (spec.paused)"
  return hs
end
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
      hs.message = "Governing " .. tostring(status.governedTargets or 0) .. " targets, " .. tostring(status.activeIncidents or 0) .. " active incidents"
    elseif c.status == "False" then
      hs.status = "Degraded"
      hs.message = tostring(c.reason) .. ": " .. tostring(c.message)
    end
    return hs
  end
end
return hs
