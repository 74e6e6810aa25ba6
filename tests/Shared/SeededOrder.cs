using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace BundLaenderKoordination.Tests.Shared;

/// <summary>
/// Runs the tests in a random order drawn from <c>TEST_SEED</c> (any integer), so that a test that depends on what another
/// one left behind fails: the classes of a collection in a shuffled order, and the tests of each class shuffled too.
/// Without <c>TEST_SEED</c> the order is xunit's usual one. The seed is printed so that a failing order can be replayed.
/// </summary>
public sealed class SeededTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    public static int? Seed => int.TryParse(Environment.GetEnvironmentVariable("TEST_SEED"), out var seed) ? seed : null;

    /// <summary>A shuffle that depends only on the seed and each item's key, not on the order the items came in.</summary>
    public static IEnumerable<T> Shuffled<T>(IEnumerable<T> items, Func<T, string> key, int seed) =>
        items.OrderBy(item => Mix(seed, key(item))).ThenBy(key, StringComparer.Ordinal);

    private static ulong Mix(int seed, string key)
    {
        var hash = 14695981039346656037UL ^ (ulong)(uint)seed;
        foreach (var c in key) hash = (hash ^ c) * 1099511628211UL;
        return hash;
    }

    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName name, ISourceInformationProvider source, IMessageSink diagnostics)
        : XunitTestFrameworkExecutor(name, source, diagnostics)
    {
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink,
            ITestFrameworkExecutionOptions executionOptions)
        {
            if (Seed is { } seed)
            {
                DiagnosticMessageSink.OnMessage(new DiagnosticMessage($"Test order shuffled with TEST_SEED={seed}."));
                testCases = Shuffled(testCases, t => t.TestMethod.TestClass.Class.Name, seed).ToList();
            }
            using var runner = new XunitTestAssemblyRunner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }
}

/// <summary>The tests of one class in the order of <see cref="SeededTestFramework"/>'s seed (xunit's usual order without one).</summary>
public sealed class SeededTestCaseOrderer : ITestCaseOrderer
{
    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        SeededTestFramework.Seed is { } seed
            ? SeededTestFramework.Shuffled(testCases, t => t.UniqueID, seed)
            : testCases.OrderBy(t => t.UniqueID, StringComparer.Ordinal);
}
