using IncidentResponder.Core.Quantities;

namespace IncidentResponder.Core.Tests.Quantities;

public sealed class MemoryQuantityTests
{
    [Theory]
    [InlineData("128Mi", 134217728L, true)]
    [InlineData("1.5Gi", 1610612736L, true)]
    [InlineData("100M", 100000000L, false)]
    [InlineData("1e9", 1000000000L, false)]
    [InlineData("12345", 12345L, false)]
    [InlineData("1Gi", 1073741824L, true)]
    [InlineData(" 64Ki ", 65536L, true)]
    public void Parses_kubernetes_quantities_to_bytes(string text, long bytes, bool binary)
    {
        var quantity = MemoryQuantity.Parse(text);
        Assert.Equal((bytes, binary), (quantity.Bytes, quantity.Binary));
    }

    [Fact]
    public void Fractional_bytes_round_up_as_the_api_server_does_for_memory() =>
        Assert.Equal(2, MemoryQuantity.Parse("1500m").Bytes);

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("12Qi")]
    [InlineData(null)]
    public void Rejects_what_is_not_a_quantity(string? text)
    {
        Assert.False(MemoryQuantity.TryParse(text, out _));
    }

    [Theory]
    [InlineData("128Mi", 1.5, "192Mi")]
    [InlineData("100Mi", 1.5, "150Mi")]
    [InlineData("1Gi", 1.5, "1536Mi")]
    [InlineData("100M", 1.5, "150M")]
    [InlineData("333Mi", 1.1, "367Mi")] // 366.3Mi rounds up to a whole MiB, never down
    [InlineData("1e9", 1.5, "1500M")]
    public void Times_rounds_up_to_a_whole_unit_in_the_authors_style(string text, double factor, string expected) =>
        Assert.Equal(expected, MemoryQuantity.Parse(text).Times(factor).ToString());

    [Fact]
    public void Formats_canonically_and_compares_by_bytes()
    {
        Assert.Equal("1536Mi", MemoryQuantity.Parse("1.5Gi").ToString());
        Assert.True(MemoryQuantity.Parse("1Gi") > MemoryQuantity.Parse("1000M"));
        Assert.Equal(MemoryQuantity.Parse("1000M"), MemoryQuantity.Min(MemoryQuantity.Parse("1Gi"), MemoryQuantity.Parse("1000M")));
    }
}
