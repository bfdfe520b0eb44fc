/**
 * Bearer tokens (issue 12): `exp` required and at most AUTH_MAX_TOKEN_LIFETIME away, `iss`/`aud`
 * checked when configured, and tokens of a real OpenID Connect provider (`oidc-provider`, started
 * here) verified through its JWKS — roles and department read from configured claims, and tokens
 * signed after the provider rotated its keys (a new `kid`) accepted.
 */
import { createSign, generateKeyPairSync } from 'node:crypto';
import { Pool } from 'pg';
import { craftToken, expectProblem, registration } from './support/appeals';
import { API_RESOURCE, startOidcProvider, type OidcProvider } from './support/oidc-provider';
import { http, startTestEngine, type TestEngine } from './support/test-engine';

const ISSUER_LOCAL_CLAIMS = { sub: 'ivanova', name: 'Иванова', roles: ['registrar', 'supervisor'] };
const now = () => Math.floor(Date.now() / 1000);

describe('bearer tokens', () => {
  let idp: OidcProvider;
  let t: TestEngine;
  let db: Pool;

  beforeAll(async () => {
    idp = await startOidcProvider({
      machines: {
        'registrar-app': {
          secret: 'registrar-app-secret-0123456789',
          claims: {
            name: 'Регистратура',
            realm_access: { roles: ['registrar', 'supervisor'] },
            dept: 'Отдел ЖКХ',
          },
        },
        'executor-app': {
          secret: 'executor-app-secret-0123456789',
          claims: { realm_access: { roles: ['executor'] } },
        },
        'long-lived-app': {
          secret: 'long-lived-app-secret-0123456789',
          ttl: 2 * 3600,
          claims: { realm_access: { roles: ['registrar'] } },
        },
        'other-audience-app': {
          secret: 'other-audience-secret-0123456789',
          audience: 'urn:another-system',
          claims: { realm_access: { roles: ['registrar'] } },
        },
      },
    });
    t = await startTestEngine({
      env: {
        AUTH_JWKS_URL: idp.jwksUrl,
        AUTH_ISSUER: idp.issuer,
        AUTH_AUDIENCE: API_RESOURCE,
        AUTH_ROLES_CLAIM: 'realm_access.roles',
        AUTH_DEPARTMENT_CLAIM: 'dept',
        AUTH_MAX_TOKEN_LIFETIME: '1h',
        // Every unknown kid may refetch the key set at once (the default waits 30 s between fetches).
        AUTH_JWKS_COOLDOWN_MS: '0',
      },
    });
    db = new Pool({ connectionString: t.database.url, max: 1 });
  });
  afterAll(async () => {
    await db.end();
    await t?.stop();
    await idp?.stop();
  });

  const events = async () =>
    Number((await db.query<{ n: string }>('SELECT count(*)::text AS n FROM events')).rows[0].n);
  const register = (token: string) => http(t.url, 'POST', '/appeals', { token, body: registration() });
  const local = (claims: Record<string, unknown>) =>
    craftToken({ alg: 'HS256', typ: 'JWT' }, { iss: idp.issuer, aud: API_RESOURCE, ...claims });

  describe('local HS256 tokens', () => {
    it('accepts one with exp, iss and aud as configured', async () => {
      expect((await register(local({ ...ISSUER_LOCAL_CLAIMS, iat: now(), exp: now() + 600 }))).status).toBe(
        201,
      );
    });

    it.each([
      ['without exp', { iat: now() }, /"exp"/],
      [
        'living longer than AUTH_MAX_TOKEN_LIFETIME (exp − iat)',
        { iat: now(), exp: now() + 3600 + 600 },
        /AUTH_MAX_TOKEN_LIFETIME/,
      ],
      [
        'without iat, expiring beyond AUTH_MAX_TOKEN_LIFETIME from now',
        { exp: now() + 2 * 3600 },
        /AUTH_MAX_TOKEN_LIFETIME/,
      ],
      ['issued in the future', { iat: now() + 600, exp: now() + 1200 }, /future/],
      ['of another issuer', { iss: 'https://elsewhere.example', exp: now() + 600 }, /iss/],
      ['for another audience', { aud: 'urn:another-system', exp: now() + 600 }, /aud/],
      ['without an audience', { aud: undefined, exp: now() + 600 }, /aud/],
    ])('refuses one %s: 401 problem+json, nothing stored', async (_case, claims, reason) => {
      const before = await events();
      const problem = expectProblem(await register(local({ ...ISSUER_LOCAL_CLAIMS, ...claims })), 401);
      expect(problem.detail).toMatch(reason);
      expect(await events()).toBe(before);
    });
  });

  describe("the identity provider's tokens (JWKS)", () => {
    it('accepts its access token, with roles and department from the configured claims', async () => {
      const token = await idp.machineToken('registrar-app');
      const res = await http<{ id: string }>(t.url, 'POST', '/appeals', { token, body: registration() });
      expect(res.status).toBe(201);
      const history = await http<{ actor: { id: string; name: string } }[]>(
        t.url,
        'GET',
        `/appeals/${res.body.id}/history`,
        { token },
      );
      expect(history.status).toBe(200);
      expect(history.body[0].actor).toMatchObject({ id: 'registrar-app', name: 'Регистратура' });
      const me = await http(t.url, 'GET', '/me', { token });
      expect(me.body).toMatchObject({
        id: 'registrar-app',
        name: 'Регистратура',
        roles: ['registrar', 'supervisor'],
        department: 'Отдел ЖКХ',
      });
      expect(Date.parse((me.body as { expiresAt: string }).expiresAt)).toBeGreaterThan(Date.now());
    });

    it('gives the roles of the claim and no others: an executor token may not register (403)', async () => {
      const token = await idp.machineToken('executor-app');
      const problem = expectProblem(await register(token), 403);
      expect(problem.detail).toMatch(/you have: executor/);
    });

    it('refuses a provider token living longer than AUTH_MAX_TOKEN_LIFETIME', async () => {
      const problem = expectProblem(await register(await idp.machineToken('long-lived-app')), 401);
      expect(problem.detail).toMatch(/AUTH_MAX_TOKEN_LIFETIME/);
    });

    it('refuses a provider token for another audience', async () => {
      const problem = expectProblem(await register(await idp.machineToken('other-audience-app')), 401);
      expect(problem.detail).toMatch(/aud/);
    });

    it("refuses a token signed by a key that is not the provider's", async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const header = { alg: 'RS256', typ: 'JWT', kid: 'not-the-providers' };
      const claims = {
        sub: 'mallory',
        iss: idp.issuer,
        aud: API_RESOURCE,
        iat: now(),
        exp: now() + 600,
        realm_access: { roles: ['registrar'] },
      };
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const unsigned = `${b64(header)}.${b64(claims)}`;
      const signature = createSign('RSA-SHA256').update(unsigned).sign(privateKey).toString('base64url');
      expectProblem(await register(`${unsigned}.${signature}`), 401);
    });

    it('after the provider rotates its keys, tokens with the new kid are accepted (and the old ones still)', async () => {
      const before = await idp.machineToken('registrar-app');
      expect((await register(before)).status).toBe(201);
      const oldKid = idp.kid;
      const newKid = await idp.rotateKeys();
      expect(newKid).not.toBe(oldKid);
      const after = await idp.machineToken('registrar-app');
      expect(
        (JSON.parse(Buffer.from(after.split('.')[0], 'base64url').toString()) as { kid: string }).kid,
      ).toBe(newKid);
      expect((await register(after)).status).toBe(201);
      expect((await register(before)).status).toBe(201);
    });
  });
});
