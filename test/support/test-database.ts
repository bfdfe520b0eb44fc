/** Test support: a fresh PostgreSQL database per suite on the run's embedded server. */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url)
    throw new Error('TEST_DATABASE_URL is not set: run the suites through `npm test` (jest globalSetup)');
  return url;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates an empty database named after the suite and returns its URL; drop() removes it. */
export async function createTestDatabase(prefix = 'suite'): Promise<TestDatabase> {
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const c = new Client({ connectionString: serverUrl() });
      await c.connect();
      try {
        // Not WITH (FORCE): cutting a suite's late connections would crash it with an unhandled error.
        // A database still in use is left behind; the run's server is discarded at the end anyway.
        await c.query(`DROP DATABASE IF EXISTS "${name}"`).catch(() => undefined);
      } finally {
        await c.end();
      }
    },
  };
}
