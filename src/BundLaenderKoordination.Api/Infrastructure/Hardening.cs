using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using BundLaenderKoordination.Api.Identity;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace BundLaenderKoordination.Api.Infrastructure;

/// <summary>Limits and policies at the edge of the service (section <c>Hardening</c>).</summary>
public sealed class HardeningOptions
{
    public const string Section = "Hardening";

    /// <summary>The largest request body accepted, in bytes; larger ones are refused with 413 before they are read.</summary>
    public long MaxRequestBodyBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Writes (POST, PUT, PATCH, DELETE on <c>/api</c>) one person may send per window; 0 turns the limit off.</summary>
    public int CommandsPerWindow { get; set; } = 120;

    public double CommandWindowSeconds { get; set; } = 60;

    /// <summary>
    /// How many instances serve behind the load balancer. Each enforces its share of <see cref="CommandsPerWindow"/>
    /// (rounded down, at least 1), so that a person sends no more than the budget to the whole cluster (decision 42).
    /// </summary>
    public int Instances { get; set; } = 1;

    /// <summary>The writes per window this instance allows one person: its share of the cluster's budget.</summary>
    public int CommandsPerWindowHere => CommandsPerWindow == 0 ? 0 : Math.Max(1, CommandsPerWindow / Math.Max(1, Instances));

    /// <summary>Origins whose pages may call the API from a browser (CORS). Empty: none, only the service's own pages.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>How long browsers keep to HTTPS after seeing the service (HSTS, sent outside Development); 0 sends none.</summary>
    public double HstsMaxAgeDays { get; set; } = 365;
}

/// <summary>
/// Request size limits, per-person limits on commands and the CORS policy. Every refusal is a ProblemDetails with a
/// stable type and is logged and counted like the identity refusals (<see cref="AccessControl.Refused"/>).
/// </summary>
public static class Hardening
{
    private const string UnlimitedPartition = "";

    /// <summary>How many bytes on the wire a chunked body may take per byte of content ("1\r\nx\r\n" is six).</summary>
    private const int ChunkFramingAllowance = 8;

    public static void AddHardening(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(HardeningOptions.Section);
        builder.Services.AddOptions<HardeningOptions>().Bind(section)
            .Validate(o => o.MaxRequestBodyBytes > 0 && o.CommandsPerWindow >= 0 && o.CommandWindowSeconds > 0 && o.Instances >= 1,
                "Hardening: MaxRequestBodyBytes and CommandWindowSeconds must be positive, CommandsPerWindow not negative, Instances at least 1.")
            .ValidateOnStart();
        var maxBody = section.GetValue(nameof(HardeningOptions.MaxRequestBodyBytes), new HardeningOptions().MaxRequestBodyBytes);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = maxBody);

        builder.Services.AddCors();
        builder.Services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<HardeningOptions>>((cors, hardening) => cors.AddDefaultPolicy(policy => policy
                .WithOrigins([.. hardening.Value.AllowedOrigins])
                .WithMethods("GET", "POST", "PUT", "DELETE")
                .WithHeaders("Authorization", "Content-Type", "Accept", "Accept-Language", "Last-Event-ID", "Idempotency-Key")
                .WithExposedHeaders("Location", "Retry-After", "WWW-Authenticate")));

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(CommandPartition);
            limiter.OnRejected = async (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = (long)Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds));
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var options = rejected.HttpContext.RequestServices.GetRequiredService<IOptionsMonitor<HardeningOptions>>().CurrentValue;
                await Problems.Make(Problems.TooManyRequests, 429, "Too many changes in a short time.",
                        $"You may send {options.CommandsPerWindow} changes per {options.CommandWindowSeconds:0.#} seconds. Wait {seconds} seconds (Retry-After) and send it again; nothing was recorded.",
                        ("retryAfterSeconds", seconds))
                    .ToResult().ExecuteAsync(rejected.HttpContext);
            };
        });
    }

    /// <summary>Refuses oversized bodies (413) and answers CORS; runs before anything reads the body or the token.</summary>
    public static void UseRequestLimits(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var max = context.RequestServices.GetRequiredService<IOptionsMonitor<HardeningOptions>>().CurrentValue.MaxRequestBodyBytes;
            if (context.Request.ContentLength > max)
            {
                // The body is not read; the connection is closed after the answer rather than drained.
                context.Response.Headers.Connection = "close";
                await TooLarge(max).ToResult().ExecuteAsync(context);
                return;
            }
            var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (context.Request.ContentLength is not null)
            {
                if (limit is { IsReadOnly: false }) limit.MaxRequestBodySize = max;
            }
            else if (context.Request.Body.CanRead)
            {
                // A chunked body counts by what it carries: the server's own limit counts the chunk framing too, up to six
                // bytes per byte of content, and would refuse a body of legal size sent in small chunks. It only backs
                // this count up against endless framing.
                if (limit is { IsReadOnly: false }) limit.MaxRequestBodySize = max <= long.MaxValue / ChunkFramingAllowance ? max * ChunkFramingAllowance : null;
                context.Request.Body = new BoundedBody(context.Request.Body, max);
            }
            await next(context);
        });
        app.UseCors();
    }

    /// <summary>Limits the commands of each person; after access control, so that only their admitted writes count.</summary>
    public static void UseCommandLimits(this WebApplication app) => app.UseRateLimiter();

    public static Microsoft.AspNetCore.Mvc.ProblemDetails TooLarge(long max) =>
        Problems.Make(Problems.PayloadTooLarge, 413, "The request is too large.",
            $"A request body may have at most {max} bytes. Send less (for example the text in several steps).",
            ("maxBytes", max));

    private static RateLimitPartition<string> CommandPartition(HttpContext context)
    {
        var method = context.Request.Method;
        var subject = context.User.FindFirstValue(Caller.SubjectClaim);
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || subject is null
            || !context.Request.Path.StartsWithSegments("/api"))
            return RateLimitPartition.GetNoLimiter(UnlimitedPartition);
        var options = context.RequestServices.GetRequiredService<IOptionsMonitor<HardeningOptions>>().CurrentValue;
        if (options.CommandsPerWindow == 0) return RateLimitPartition.GetNoLimiter(UnlimitedPartition);
        return RateLimitPartition.GetFixedWindowLimiter("person:" + subject, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.CommandsPerWindowHere,
            Window = TimeSpan.FromSeconds(options.CommandWindowSeconds),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>A body without a declared length, cut off when its content (not its chunk framing) passes the limit.</summary>
    private sealed class BoundedBody(Stream inner, long max) : Stream
    {
        private long _read;

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
            Count(await inner.ReadAsync(buffer, ct));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

        private int Count(int read)
        {
            _read += read;
            if (_read > max) throw new BadHttpRequestException("The request body is larger than allowed.", StatusCodes.Status413PayloadTooLarge);
            return read;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
