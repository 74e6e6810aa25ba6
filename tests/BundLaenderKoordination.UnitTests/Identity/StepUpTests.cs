using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Identity;

public sealed class StepUpTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    private static ClaimsPrincipal SignedIn(DateTimeOffset? at, string? acr = null)
    {
        var claims = new List<Claim> { new("sub", "person") };
        if (at is { } time) claims.Add(new Claim("auth_time", time.ToUnixTimeSeconds().ToString()));
        if (acr is not null) claims.Add(new Claim("acr", acr));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
    }

    [Fact]
    public void A_sign_in_within_the_window_passes_up_to_its_last_second()
    {
        var options = new StepUpOptions { MaxAgeMinutes = 15 };
        StepUp.Check(SignedIn(Now.AddMinutes(-1)), Now, options, "Casting a vote").ShouldBeNull();
        StepUp.Check(SignedIn(Now.AddMinutes(-15)), Now, options, "Casting a vote").ShouldBeNull();
    }

    [Fact]
    public void An_older_sign_in_or_none_at_all_needs_step_up_and_says_for_which_act()
    {
        var options = new StepUpOptions { MaxAgeMinutes = 15 };
        foreach (var user in new[] { SignedIn(Now.AddMinutes(-15).AddSeconds(-1)), SignedIn(null) })
        {
            var problem = StepUp.Check(user, Now, options, "Closing a ballot").ShouldNotBeNull();
            problem.Status.ShouldBe(401);
            problem.Type.ShouldBe("/problems/step-up-required");
            problem.Detail.ShouldStartWith("Closing a ballot needs a sign-in from the last 15 minutes");
            problem.Extensions["reason"].ShouldBe("stale-sign-in");
            problem.Extensions["maxAgeSeconds"].ShouldBe(900L);
        }
    }

    [Fact]
    public void A_sign_in_later_than_now_beyond_the_clock_skew_is_refused_whatever_the_number()
    {
        var options = new StepUpOptions { MaxAgeMinutes = 15, ClockSkew = TimeSpan.FromSeconds(60) };
        StepUp.Check(SignedIn(Now.AddSeconds(60)), Now, options, "Casting a vote").ShouldBeNull();
        StepUp.Check(SignedIn(Now.AddSeconds(61)), Now, options, "Casting a vote")!.Extensions["reason"].ShouldBe("future-sign-in");
        StepUp.Check(SignedIn(Now.AddYears(5)), Now, options, "Casting a vote")!.Extensions["reason"].ShouldBe("future-sign-in");
        // Beyond the last second a date can hold: no sign-in at all, never an exception.
        var beyond = new ClaimsPrincipal(new ClaimsIdentity([new Claim("auth_time", long.MaxValue.ToString())], "test"));
        StepUp.Check(beyond, Now, options, "Casting a vote")!.Extensions["reason"].ShouldBe("stale-sign-in");
    }

    [Fact]
    public void With_accepted_acr_values_configured_only_a_sign_in_of_one_of_them_passes()
    {
        var options = new StepUpOptions { AcrValues = ["loa-substantial", "loa-high"] };
        StepUp.Check(SignedIn(Now, "loa-high"), Now, options, "Casting a vote").ShouldBeNull();
        StepUp.Check(SignedIn(Now, "loa-low"), Now, options, "Casting a vote")!.Extensions["reason"].ShouldBe("insufficient-acr");
        StepUp.Check(SignedIn(Now), Now, options, "Casting a vote")!.Extensions["reason"].ShouldBe("insufficient-acr");
        StepUp.Check(SignedIn(Now.AddHours(-1), "loa-high"), Now, options, "Casting a vote")!.Extensions["reason"].ShouldBe("stale-sign-in");
    }

    [Fact]
    public void The_challenge_follows_RFC_9470()
    {
        StepUp.Challenge(new StepUpOptions { MaxAgeMinutes = 5 })
            .ShouldBe("Bearer error=\"insufficient_user_authentication\", error_description=\"A more recent or stronger sign-in is required\", max_age=\"300\"");
        StepUp.Challenge(new StepUpOptions { AcrValues = ["loa-substantial", "loa-high"] })
            .ShouldEndWith(", max_age=\"900\", acr_values=\"loa-substantial loa-high\"");
    }
}
