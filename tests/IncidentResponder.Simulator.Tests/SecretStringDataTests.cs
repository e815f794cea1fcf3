using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Tests;

/// <summary>Secrets written with stringData read back as a real API server returns them: base64 in data, no stringData.</summary>
public sealed class SecretStringDataTests
{
    [Fact]
    public async Task String_data_is_stored_base64_encoded_in_data_and_overrides_the_same_key()
    {
        await using var harness = await ClusterHarness.StartAsync();
        var manifest = harness.WriteFile("secret.yaml", """
            apiVersion: v1
            kind: Secret
            metadata:
              name: webhook
            data:
              url: b2xk
              kept: a2VwdA==
            stringData:
              url: https://hooks.example.com/T000/B000
              token: s3cr3t
            """);
        (await harness.KubectlAsync("apply", "-f", manifest)).ShouldSucceed();

        var secret = JsonNode.Parse((await harness.KubectlAsync("get", "secret", "webhook", "-o", "json")).ShouldSucceed().Stdout)!.AsObject();
        var data = secret["data"]!.AsObject();
        Assert.Equal(Base64("https://hooks.example.com/T000/B000"), (string?)data["url"]);
        Assert.Equal(Base64("s3cr3t"), (string?)data["token"]);
        Assert.Equal("a2VwdA==", (string?)data["kept"]);
        Assert.Null(secret["stringData"]);

        var decoded = (await harness.KubectlAsync("get", "secret", "webhook", "-o", "jsonpath={.data.token}")).ShouldSucceed().Stdout;
        Assert.Equal("s3cr3t", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(decoded)));
    }

    private static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));
}
