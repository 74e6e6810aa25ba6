namespace BundLaenderKoordination.Verifier;

internal static class Program
{
    private static int Main(string[] args) => VerifyCommand.Run(args, Console.Out, Console.Error);
}
