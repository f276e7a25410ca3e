namespace Ampstack.Domain.Tests;

// Every domain test class runs on each store: the domain must not know which one it runs on.

public sealed class BackendAndJobTestsOnSqlite() : BackendAndJobTests(TestStoreKind.Sqlite);

public sealed class BackendAndJobTestsOnPostgres() : BackendAndJobTests(TestStoreKind.Postgres);

public sealed class ResourceAndTokenTestsOnSqlite() : ResourceAndTokenTests(TestStoreKind.Sqlite);

public sealed class ResourceAndTokenTestsOnPostgres() : ResourceAndTokenTests(TestStoreKind.Postgres);

public sealed class ReliabilityTestsOnSqlite() : ReliabilityTests(TestStoreKind.Sqlite);

public sealed class ReliabilityTestsOnPostgres() : ReliabilityTests(TestStoreKind.Postgres);

public sealed class JobProgressionTestsOnSqlite() : JobProgressionTests(TestStoreKind.Sqlite);

public sealed class JobProgressionTestsOnPostgres() : JobProgressionTests(TestStoreKind.Postgres);

public sealed class StateServiceTestsOnSqlite() : StateServiceTests(TestStoreKind.Sqlite);

public sealed class StateServiceTestsOnPostgres() : StateServiceTests(TestStoreKind.Postgres);

public sealed class HostingTestsOnSqlite() : HostingTests(TestStoreKind.Sqlite);

public sealed class HostingTestsOnPostgres() : HostingTests(TestStoreKind.Postgres);

public sealed class DeploymentTestsOnSqlite() : DeploymentTests(TestStoreKind.Sqlite);

public sealed class DeploymentTestsOnPostgres() : DeploymentTests(TestStoreKind.Postgres);
