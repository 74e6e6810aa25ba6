using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BundLaenderKoordination.Tests.Shared;

/// <summary>
/// A mail server that takes no mail: it answers every connection with 554 ("no SMTP service here", RFC 5321 3.1) and
/// waits for the client to hang up, so the port is free again at once for a real server. It notes when each attempt
/// came, so that a test sees the waits between them.
/// </summary>
public sealed class RefusingMailServer : IAsyncDisposable
{
    public const string Answer = "Mailserver in Wartung, bitte spaeter erneut versuchen";

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<DateTimeOffset> _attempts = [];
    private int _disposed;

    public int Port { get; }

    /// <summary>On a free port of the loopback interface.</summary>
    public RefusingMailServer() : this(0)
    {
    }

    public RefusingMailServer(int port)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(Serve);
    }

    /// <summary>When each connection came, in order.</summary>
    public IReadOnlyList<DateTimeOffset> Attempts
    {
        get { lock (_attempts) return [.. _attempts]; }
    }

    private async Task Serve()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            lock (_attempts) _attempts.Add(DateTimeOffset.UtcNow);
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        var stream = client.GetStream();
                        await stream.WriteAsync(Encoding.ASCII.GetBytes($"554 5.3.2 {Answer}\r\n"), _stop.Token);
                        // The client hangs up first (it may say QUIT): the closing side's TIME_WAIT stays with it, not with the port.
                        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                        timeout.CancelAfter(TimeSpan.FromSeconds(10));
                        var buffer = new byte[512];
                        while (await stream.ReadAsync(buffer, timeout.Token) > 0)
                            await stream.WriteAsync(Encoding.ASCII.GetBytes("221 2.0.0 Tschuess\r\n"), timeout.Token);
                    }
                    catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
                    {
                    }
                }
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
    }
}
