/** A dedicated PostgreSQL session (not from a pool): a lock holder, a writer, a rebuild. */
import { Client, type ClientConfig } from 'pg';

export async function openSession(config: ClientConfig, onError: (error: Error) => void): Promise<Client> {
  const client = new Client(config);
  // a dead connection also fails the query in flight; this keeps the process from crashing on it
  client.on('error', onError);
  await client.connect();
  return client;
}
