using System.Text.Json.Nodes;
using IncidentResponder.Deploy.Tests.Support;

namespace IncidentResponder.Deploy.Tests.ArgoCd;

/// <summary>
/// Runs one of config/argocd's health scripts as Argo CD does: the object as the global <c>obj</c>, the script's
/// returned table as the verdict, with the real Lua 5.1 interpreter (Debian's lua5.1) and lua-cjson to read the object.
/// The script runs in an environment holding only Lua's base functions, as Argo CD gives a health script without
/// useOpenLibs, so a script that leans on another library fails here as it would there.
/// </summary>
public static class LuaHealthCheck
{
    // JSON nulls become nil (lua-cjson decodes them to a sentinel Argo CD's conversion never produces).
    private const string Harness = """
        local cjson = require("cjson")
        local function strip(value)
          if value == cjson.null then return nil end
          if type(value) == "table" then
            for k, v in pairs(value) do value[k] = strip(v) end
          end
          return value
        end
        local input = assert(io.open(arg[2], "r"))
        local object = strip(cjson.decode(input:read("*a")))
        input:close()
        local script = assert(loadfile(arg[1]))
        setfenv(script, { obj = object, ipairs = ipairs, pairs = pairs, next = next, tostring = tostring, tonumber = tonumber, type = type })
        local verdict = script()
        io.write(cjson.encode(verdict))
        """;

    /// <summary>Skips the calling test, saying why, when Lua 5.1 with lua-cjson is not installed.</summary>
    public static string RequireInterpreter()
    {
        return Tool.Find("lua5.1", "LUA")
            ?? throw Xunit.Sdk.SkipException.ForSkip(
                "lua5.1 is not on PATH (Debian packages lua5.1 and lua-cjson; tests/run.sh installs them), so the Argo CD health checks cannot run.");
    }

    /// <summary>The (status, message) the script returns for <paramref name="obj"/>.</summary>
    public static async Task<(string Status, string Message)> AssessAsync(string lua, string script, JsonObject obj)
    {
        var scratch = Directory.CreateTempSubdirectory("argocd-health-");
        try
        {
            var harness = Path.Combine(scratch.FullName, "harness.lua");
            var input = Path.Combine(scratch.FullName, "obj.json");
            await File.WriteAllTextAsync(harness, Harness, TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(input, obj.ToJsonString(), TestContext.Current.CancellationToken);
            var output = await Tool.RunAsync(lua, [harness, RepositoryRoot.Combine(script), input]);
            var verdict = JsonNode.Parse(output)!.AsObject();
            return ((string)verdict["status"]!, (string?)verdict["message"] ?? string.Empty);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
