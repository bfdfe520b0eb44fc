/**
 * Test support: a real OpenID Connect provider (`oidc-provider`, in a child process because it is
 * ESM-only and Jest here runs CommonJS) on a free loopback port. `machineToken` runs the
 * client-credentials grant over HTTP; `rotateKeys` makes the provider sign with a new key (new `kid`)
 * while still publishing the old one.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface OidcProviderConfig {
  /** client-credentials clients: their secret, the claims put into their access tokens, TTL (s) */
  machines?: Record<
    string,
    { secret: string; claims?: Record<string, unknown>; ttl?: number; audience?: string }
  >;
  /** people who can sign in on the provider's login page (any password), and their claims */
  users?: Record<string, Record<string, unknown>>;
  /** the web application's client */
  web?: { clientId: string; clientSecret: string; redirectUri: string };
}

export interface OidcProvider {
  issuer: string;
  jwksUrl: string;
  /** the kid of the key that signs now */
  kid: string;
  machineToken(clientId: string): Promise<string>;
  rotateKeys(): Promise<string>;
  stop(): Promise<void>;
}

export const API_RESOURCE = 'urn:appeal-ledger';

export async function startOidcProvider(config: OidcProviderConfig): Promise<OidcProvider> {
  const child: ChildProcess = fork(join(__dirname, 'oidc-provider.mjs'), [], {
    env: { ...process.env, OIDC_TEST_CONFIG: JSON.stringify(config), DEBUG: '' },
    // Its start-up warnings (development adapter and login pages) are not news; errors are kept.
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    if (!/^oidc-provider WARNING/m.test(text) || /Error/.test(text)) errors += text;
  });
  const next = <T>(key: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: Record<string, unknown>): void => {
        if (!m[key]) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m as T);
      };
      const onExit = (code: number | null): void =>
        reject(new Error(`the OIDC provider exited (${code}): ${errors}`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = await next<{ issuer: string; kid: string }>('ready');
  const state = { kid: ready.kid };
  return {
    issuer: ready.issuer,
    jwksUrl: `${ready.issuer}/jwks`,
    get kid() {
      return state.kid;
    },
    async machineToken(clientId) {
      const secret = config.machines?.[clientId]?.secret ?? '';
      const res = await fetch(`${ready.issuer}/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', resource: API_RESOURCE, scope: 'api' }),
      });
      const body = (await res.json()) as { access_token?: string };
      if (!res.ok || !body.access_token)
        throw new Error(`the provider refused the token: ${res.status} ${JSON.stringify(body)}`);
      return body.access_token;
    },
    async rotateKeys() {
      const done = next<{ kid: string }>('rotated');
      child.send({ rotate: true });
      state.kid = (await done).kid;
      return state.kid;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
