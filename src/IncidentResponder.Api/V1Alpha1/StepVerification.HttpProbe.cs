using System.ComponentModel;
using IncidentResponder.Api.Schema;

namespace IncidentResponder.Api.V1Alpha1;

[CelRule("!has(self.checks) || !self.checks.exists(c, c == 'HttpProbe') || has(self.httpProbe)",
    "verify.checks lists HttpProbe: set verify.httpProbe (service or url) to say what to GET")]
public sealed partial class StepVerification
{
    [Description("With the HttpProbe check: the GET that must answer as expected within its latency budget for the whole window.")]
    public HttpProbe? HttpProbe { get; set; }
}
