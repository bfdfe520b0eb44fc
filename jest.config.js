// Three tiers, one run: pure specs, integration specs on real PostgreSQL, HTTP end-to-end suites.
// One embedded PostgreSQL is started for the whole run (test/support/global-setup.ts); each suite
// creates its own database on it.
const moduleNameMapper = {
  '^@appeal-ledger/appeal/testing$': '<rootDir>/libs/appeal/src/testing/index.ts',
  '^@appeal-ledger/event-store/testing$': '<rootDir>/libs/event-store/src/testing/index.ts',
  '^@appeal-ledger/event-store/eventstoredb$': '<rootDir>/libs/event-store/src/eventstoredb/index.ts',
  '^@appeal-ledger/(appeal|event-store|projections|reminders)$': '<rootDir>/libs/$1/src/index.ts',
};
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] };
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  moduleNameMapper,
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
};

/** @type {import('jest').Config} */
module.exports = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  maxWorkers: 2,
  // An upper bound, not a wait: every wait in a test is for a fact. Suites that start engine processes
  // or restart engines took over 60 s with both cores kept busy by other work (issue 10's load runs).
  testTimeout: 180000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'int',
      testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'],
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
    // The lifecycle suites once more with EVENTSTORE_URL pointing at the in-process EventStoreDB stand-in.
    {
      ...common,
      displayName: 'e2e-esdb',
      setupFiles: ['<rootDir>/test/support/esdb-project.setup.ts'],
      testMatch: [
        '<rootDir>/test/appeal-*.e2e-spec.ts',
        '<rootDir>/test/deadlines.e2e-spec.ts',
        '<rootDir>/test/smoke.e2e-spec.ts',
      ],
    },
  ],
};
