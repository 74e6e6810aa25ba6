using System.Security.Cryptography;
using System.Text;
using BundLaenderKoordination.Audit;

namespace BundLaenderKoordination.Witness;

/// <summary>Settings of a witness (section <c>Witness</c>; environment variables <c>Witness__Name</c> etc.).</summary>
public sealed class WitnessOptions
{
    /// <summary>The witness's key name, e.g. <c>witness.by.example/blk</c>: its cosignature lines carry it.</summary>
    public string Name { get; set; } = "";

    /// <summary>A file holding the base64 32-byte Ed25519 private key (<c>blk-witness key</c> creates it).</summary>
    public string KeyFile { get; set; } = "";

    /// <summary>Where the latest cosigned checkpoint of each log is kept (one file per origin) and refused requests are kept as evidence.</summary>
    public string StateDirectory { get; set; } = "";

    /// <summary>The pinned verifier keys of the logs it witnesses ("name+keyid+base64"); a log's origin is its key's name.</summary>
    public List<string> LogKeys { get; set; } = [];
}

/// <summary>
/// A transparency log witness (C2SP tlog-witness) for the audit log: it keeps the latest checkpoint it cosigned per log
/// origin in a file, and cosigns a new one (C2SP tlog-cosignature, cosignature/v1) only when the log's pinned key signed
/// it and a consistency proof shows it extends that checkpoint. A fork (same size with another root, or no valid proof)
/// is refused and the request kept as evidence.
/// </summary>
public static class WitnessProgram
{
    private const string Usage =
        "usage: blk-witness key --name NAME --key-file FILE   creates the key (if missing) and prints the witness's public key\n" +
        "       blk-witness [--urls URL] [--Witness:Name NAME --Witness:KeyFile FILE --Witness:StateDirectory DIR --Witness:LogKeys:0 LOGKEY]";

    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] is "--help" or "-h" or "help")
        {
            Console.WriteLine(Usage);
            return 0;
        }
        if (args.Length > 0 && args[0] == "key") return Key(args);

        var builder = WebApplication.CreateSlimBuilder(args);
        var options = builder.Configuration.GetSection("Witness").Get<WitnessOptions>() ?? new WitnessOptions();
        WitnessService service;
        try
        {
            service = WitnessService.Create(options);
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine($"blk-witness: {ex.Message}\n{Usage}");
            return 2;
        }
        builder.Services.AddSingleton(service);
        var app = builder.Build();
        app.MapPost("/add-checkpoint", async (HttpRequest request, WitnessService witness, ILoggerFactory loggers, CancellationToken ct) =>
        {
            using var reader = new StreamReader(request.Body, new UTF8Encoding(false, throwOnInvalidBytes: true));
            string body;
            try { body = await ReadLimitedAsync(reader, ct); }
            catch (Exception ex) when (ex is DecoderFallbackException or InvalidDataException)
            {
                return Results.Text("The request is not UTF-8 text of at most 64 KiB.\n", statusCode: 400);
            }
            var answer = await witness.AddCheckpointAsync(body, loggers.CreateLogger("Witness"), ct);
            return Results.Text(answer.Body, answer.ContentType ?? "text/plain; charset=utf-8", statusCode: answer.Status);
        });
        app.MapGet("/public-key", (WitnessService witness) => Results.Text(witness.PublicKey + "\n"));
        app.Run();
        return 0;
    }

    private static async Task<string> ReadLimitedAsync(StreamReader reader, CancellationToken ct)
    {
        var buffer = new char[64 * 1024 + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(total), ct)) > 0) total += read;
        if (total == buffer.Length) throw new InvalidDataException("Too long.");
        return new string(buffer, 0, total);
    }

    private static int Key(string[] args)
    {
        string? name = null, file = null;
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--name") name = args[i + 1];
            else if (args[i] == "--key-file") file = args[i + 1];
        }
        if (name is null || file is null || NoteEncoding.InvalidKeyName(name) is not null)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n"));
        }
        Console.WriteLine(new Cosigner(name, WitnessService.ReadSeed(file)).Key);
        return 0;
    }
}

/// <summary>The witness's key, pinned log keys and kept checkpoints; one request at a time decides and persists.</summary>
public sealed class WitnessService
{
    private readonly Cosigner _cosigner;
    private readonly Dictionary<string, IReadOnlyList<VerifierKey>> _logKeys;
    private readonly string _directory;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private WitnessService(Cosigner cosigner, Dictionary<string, IReadOnlyList<VerifierKey>> logKeys, string directory)
    {
        _cosigner = cosigner;
        _logKeys = logKeys;
        _directory = directory;
    }

    public CosignerKey PublicKey => _cosigner.Key;

    public static WitnessService Create(WitnessOptions options)
    {
        if (NoteEncoding.InvalidKeyName(options.Name) is { } name) throw new InvalidOperationException($"Witness:Name: {name}");
        if (string.IsNullOrEmpty(options.KeyFile) || !File.Exists(options.KeyFile))
            throw new InvalidOperationException("Witness:KeyFile names no existing key file (create one with 'blk-witness key').");
        if (string.IsNullOrEmpty(options.StateDirectory)) throw new InvalidOperationException("Witness:StateDirectory is not set.");
        var keys = new Dictionary<string, IReadOnlyList<VerifierKey>>(StringComparer.Ordinal);
        foreach (var text in options.LogKeys)
        {
            var key = VerifierKey.TryParse(text, out var problem) ?? throw new InvalidOperationException($"Witness:LogKeys: '{text}' is not a verifier key: {problem}");
            keys[key.Name] = [.. keys.GetValueOrDefault(key.Name) ?? [], key];
        }
        if (keys.Count == 0) throw new InvalidOperationException("Witness:LogKeys pins no log key.");
        Directory.CreateDirectory(options.StateDirectory);
        return new WitnessService(new Cosigner(options.Name, ReadSeed(options.KeyFile)), keys, options.StateDirectory);
    }

    public static byte[] ReadSeed(string file)
    {
        var seed = NoteEncoding.TryBase64(File.ReadAllText(file).Trim());
        if (seed is not { Length: 32 }) throw new InvalidOperationException($"{file} does not hold a base64 32-byte Ed25519 key.");
        return seed;
    }

    private string StateFile(string origin) =>
        Path.Combine(_directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(origin)))[..32] + ".checkpoint");

    /// <summary>Decides on a request and, when it cosigns, persists the new checkpoint before answering (atomically with the check).</summary>
    public async Task<WitnessAnswer> AddCheckpointAsync(string body, ILogger logger, CancellationToken ct)
    {
        var request = AddCheckpointRequest.TryParse(body, out var problem);
        if (request is null) return new WitnessAnswer(400, $"{problem}\n");
        await _gate.WaitAsync(ct);
        try
        {
            var answer = WitnessRules.Decide(request, _logKeys, Latest, _cosigner, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            if (answer is { Status: 200, Accepted: { } accepted })
            {
                var file = StateFile(accepted.Origin);
                await File.WriteAllTextAsync(file + ".tmp", answer.AcceptedNote, ct);
                File.Move(file + ".tmp", file, overwrite: true);
                logger.LogInformation("Cosigned {Origin} at size {Size}", accepted.Origin, accepted.Size);
            }
            else if (answer.Fork)
            {
                // Signed by the log and inconsistent with what this witness cosigned: evidence of a split view.
                var evidence = Path.Combine(_directory, "evidence");
                Directory.CreateDirectory(evidence);
                await File.WriteAllTextAsync(Path.Combine(evidence, $"{DateTimeOffset.UtcNow:yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}.request"), body, ct);
                logger.LogCritical("Refused a checkpoint that forks from the one this witness cosigned: {Answer}", answer.Body.TrimEnd());
            }
            return answer;
        }
        finally
        {
            _gate.Release();
        }
    }

    private Checkpoint? Latest(string origin)
    {
        var file = StateFile(origin);
        if (!File.Exists(file)) return null;
        var note = SignedNote.TryParse(File.ReadAllText(file));
        return (note is null ? null : Checkpoint.TryParse(note.Text))
               ?? throw new InvalidOperationException($"The kept checkpoint {file} cannot be read; the witness refuses to cosign until it is restored.");
    }
}
