using System.Net;
using IncidentResponder.Runtime.Client;
using k8s.Autorest;

namespace IncidentResponder.Runtime.Tests.Client;

public sealed class ApiReadsTests
{
    [Fact]
    public async Task Not_found_is_an_answer()
    {
        var read = await ApiReads.GetOrNullAsync<string>(() => throw Answer(HttpStatusCode.NotFound));

        Assert.Null(read);
    }

    [Fact]
    public async Task Other_failures_propagate()
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => ApiReads.GetOrNullAsync<string>(() => throw Answer(HttpStatusCode.Forbidden)));

        Assert.False(error.IsNotFound());
    }

    [Fact]
    public async Task A_found_object_is_returned()
    {
        Assert.Equal("found", await ApiReads.GetOrNullAsync(() => Task.FromResult("found")));
    }

    private static HttpOperationException Answer(HttpStatusCode status)
    {
        using var response = new HttpResponseMessage(status);
        return new HttpOperationException($"HTTP {(int)status}") { Response = new HttpResponseMessageWrapper(response, string.Empty) };
    }
}
