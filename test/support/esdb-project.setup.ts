// Jest setup of the `e2e-esdb` project: the same HTTP suites, events kept in EventStoreDB (stand-in).
process.env.E2E_EVENT_STORE = 'esdb';
