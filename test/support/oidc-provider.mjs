// A real OpenID Connect provider (the `oidc-provider` package, ESM-only) in its own process, for the
// token and single sign-on tests: `node test/support/oidc-provider.mjs` with OIDC_TEST_CONFIG (JSON)
// in the environment, talked to over IPC (test/support/oidc-provider.ts). It listens on a free
// loopback port, issues JWT access tokens for the resource `urn:appeal-ledger` to client-credentials
// clients ("machines", with the claims the test gives them), signs in people through its own
// development login and consent pages, and rotates its signing keys on request.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_TEST_CONFIG ?? '{}');
const machines = config.machines ?? {};
const users = config.users ?? {};
const RESOURCE = 'urn:appeal-ledger';

const newKey = () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
};

let keys = [newKey()];
let handler = () => undefined;
const server = createServer((req, res) => handler(req, res));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const build = () => {
  const clients = Object.entries(machines).map(([clientId, m]) => ({
    client_id: clientId,
    client_secret: m.secret,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
  }));
  if (config.web)
    clients.push({
      client_id: config.web.clientId,
      client_secret: config.web.clientSecret,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [config.web.redirectUri],
    });
  const provider = new Provider(issuer, {
    clients,
    jwks: { keys },
    cookies: { keys: ['oidc-test-cookie-key-0123456789abcdef'] },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], appeal: ['roles', 'department'] },
    scopes: ['openid', 'profile', 'appeal'],
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    async findAccount(_ctx, id) {
      const known = users[id];
      if (!known) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, preferred_username: id, ...known }) };
    },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, client) => (machines[client.clientId] ? RESOURCE : undefined),
        useGrantedResource: () => false,
        getResourceServerInfo: (_ctx, _resource, client) => ({
          scope: 'api',
          audience: machines[client.clientId]?.audience ?? RESOURCE,
          accessTokenTTL: machines[client.clientId]?.ttl ?? 600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    async extraTokenClaims(_ctx, token) {
      return machines[token.clientId]?.claims;
    },
  });
  provider.on('server_error', (_ctx, error) => process.stderr.write(`oidc-provider: ${error.stack}\n`));
  handler = provider.callback();
};

build();
process.send({ ready: true, issuer, kid: keys[0].kid });
process.on('message', (message) => {
  if (message?.rotate) {
    // The new key signs from now on; the old one stays published for the tokens it signed.
    keys = [newKey(), ...keys];
    build();
    process.send({ rotated: true, kid: keys[0].kid });
  }
  if (message?.dropOldKeys) {
    keys = keys.slice(0, 1);
    build();
    process.send({ dropped: true, kid: keys[0].kid });
  }
});
process.on('disconnect', () => process.exit(0));
