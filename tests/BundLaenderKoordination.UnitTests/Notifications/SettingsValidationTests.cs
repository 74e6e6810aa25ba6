using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Notifications;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Notifications;

/// <summary>What the notification settings accept as an e-mail address.</summary>
public sealed class SettingsValidationTests
{
    private static Microsoft.AspNetCore.Mvc.ProblemDetails Check(string? email) => PutSettingsEndpoint.Validate(new SettingsInput(email, null, null));

    [Theory]
    [InlineData("a\u200Bb@example.org")]
    [InlineData("ab@example.org\u202E")]
    [InlineData("keine-adresse")]
    [InlineData("a@b@c")]
    public void An_address_with_invisible_characters_or_of_the_wrong_form_is_refused(string email)
    {
        var refusal = Check(email);
        refusal.Status.ShouldBe(400);
        refusal.Type.ShouldBe(Problems.InvalidInput);
    }

    [Fact]
    public void A_plain_address_and_none_at_all_are_accepted()
    {
        Check("referat.d16@stmd.bayern.de").Status.ShouldBeNull();
        Check(null).Status.ShouldBeNull();
        Check("").Status.ShouldBeNull();
    }
}
