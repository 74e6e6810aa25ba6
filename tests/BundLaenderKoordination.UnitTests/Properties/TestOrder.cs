// TEST_SEED=<n> shuffles the order of classes and tests (see docs/testing.md).
[assembly: Xunit.TestFramework("BundLaenderKoordination.Tests.Shared.SeededTestFramework", "BundLaenderKoordination.UnitTests")]
[assembly: Xunit.TestCaseOrderer("BundLaenderKoordination.Tests.Shared.SeededTestCaseOrderer", "BundLaenderKoordination.UnitTests")]
