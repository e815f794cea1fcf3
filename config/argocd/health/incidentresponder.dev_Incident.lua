-- Argo CD health of an Incident (resource.customizations.health.incidentresponder.dev_Incident).
-- An open incident is the application's state, not the object's fault: it is Progressing while the operator works it,
-- Suspended while a step waits for a person's approval, Degraded once it is escalated to people (and while a person
-- holds it after acknowledging), Healthy when resolved or cancelled as a false alarm.
-- Only Lua's base functions are used, so the script runs without resource.customizations.useOpenLibs.
local hs = { status = "Progressing", message = "Waiting for the operator to triage the incident" }
local status = obj.status
if status == nil or status.phase == nil then
  return hs
end
if status.observedGeneration ~= nil and obj.metadata.generation ~= nil and status.observedGeneration < obj.metadata.generation then
  hs.message = "Waiting for the operator to observe generation " .. tostring(obj.metadata.generation)
  return hs
end
local function condition(kind)
  if status.conditions ~= nil then
    for _, c in ipairs(status.conditions) do
      if c.type == kind then
        return c
      end
    end
  end
  return nil
end
local severity = ""
if status.severity ~= nil then
  severity = status.severity .. ": "
end
local phase = status.phase
if phase == "Resolved" or phase == "Cancelled" then
  local resolved = condition("Resolved")
  hs.status = "Healthy"
  hs.message = severity .. "resolved"
  if phase == "Cancelled" then
    hs.message = severity .. "cancelled"
  end
  if resolved ~= nil and resolved.message ~= nil and resolved.message ~= "" then
    hs.message = hs.message .. ": " .. resolved.message
  end
elseif phase == "Acknowledged" then
  local acknowledged = condition("Acknowledged")
  hs.status = "Degraded"
  hs.message = severity .. "acknowledged"
  if acknowledged ~= nil and acknowledged.message ~= nil and acknowledged.message ~= "" then
    hs.message = hs.message .. ": " .. acknowledged.message
  end
elseif phase == "Escalated" then
  local escalated = condition("Escalated")
  hs.status = "Degraded"
  hs.message = severity .. "escalated to people"
  if escalated ~= nil and escalated.message ~= nil and escalated.message ~= "" then
    hs.message = hs.message .. ": " .. escalated.message
  end
elseif phase == "AwaitingApproval" then
  hs.status = "Suspended"
  hs.message = severity .. "a runbook step waits for approval (spec.approvals)"
elseif phase == "Mitigated" then
  hs.message = severity .. "mitigated, verifying recovery"
else
  hs.message = severity .. phase
  local acting = condition("Acting")
  if acting ~= nil and acting.message ~= nil and acting.message ~= "" then
    hs.message = hs.message .. ": " .. acting.message
  end
end
return hs
