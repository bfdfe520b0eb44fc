import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../config/app-config';
import { claimAt, parseDuration } from './auth-config';
import { jwtSecretFile, resolveJwtSecret } from './jwt-secret';
import { PrincipalRateLimit } from './principal-rate-limit';

describe('token settings', () => {
  it('refuses an AUTH_JWT_SECRET shorter than 32 bytes at start, naming it and the length', () => {
    expect(() => loadConfig({ AUTH_JWT_SECRET: 'x'.repeat(31) })).toThrow(ConfigError);
    expect(() => loadConfig({ AUTH_JWT_SECRET: 'x'.repeat(31) })).toThrow(
      /AUTH_JWT_SECRET must be at least 32 bytes long \(it has 31\)/,
    );
    // bytes, not characters: 16 Cyrillic letters are 32 bytes
    expect(loadConfig({ AUTH_JWT_SECRET: 'ж'.repeat(16) }).jwtSecret).toBe('ж'.repeat(16));
  });

  it('refuses a too short secret kept in DATA_DIR too', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'auth-config-'));
    try {
      mkdirSync(join(dataDir, 'secrets'));
      writeFileSync(jwtSecretFile(dataDir), 'short\n');
      expect(() => resolveJwtSecret({ dataDir })).toThrow(/at least 32 bytes/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('defaults: 12 h tokens, claims roles/department/name, 600 and 3000 requests a minute, 10 streams', () => {
    const { auth } = loadConfig({});
    expect(auth).toMatchObject({
      maxTokenLifetimeSeconds: 12 * 3600,
      rolesClaim: 'roles',
      departmentClaim: 'department',
      nameClaim: 'name',
      rateLimitPerMinute: 600,
      rateLimitPerAddressPerMinute: 3000,
      streamsPerPrincipal: 10,
    });
    expect(auth.jwksUrl).toBeUndefined();
  });

  it.each([
    [{ AUTH_MAX_TOKEN_LIFETIME: 'forever' }, /AUTH_MAX_TOKEN_LIFETIME/],
    [{ AUTH_MAX_TOKEN_LIFETIME: '30d' }, /AUTH_MAX_TOKEN_LIFETIME/],
    [{ AUTH_JWKS_URL: 'https://idp.example/jwks' }, /AUTH_JWKS_URL needs AUTH_ISSUER/],
    [{ AUTH_JWKS_URL: 'ftp://idp.example/jwks', AUTH_ISSUER: 'x' }, /AUTH_JWKS_URL must be an http/],
    [{ AUTH_ROLES_CLAIM: 'realm_access..roles' }, /AUTH_ROLES_CLAIM/],
    [{ RATE_LIMIT_PER_MINUTE: '-1' }, /RATE_LIMIT_PER_MINUTE/],
    [{ SSE_STREAMS_PER_PRINCIPAL: '0' }, /SSE_STREAMS_PER_PRINCIPAL/],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads durations and dotted claim paths', () => {
    expect(parseDuration('x', '3600')).toBe(3600);
    expect(parseDuration('x', '30m')).toBe(1800);
    expect(parseDuration('x', '12h')).toBe(43_200);
    expect(parseDuration('x', '1d')).toBe(86_400);
    const claims = { realm_access: { roles: ['executor'] }, 'https://x/dept': 'ЖКХ' };
    expect(claimAt(claims, 'realm_access.roles')).toEqual(['executor']);
    expect(claimAt(claims, 'https://x/dept')).toBe('ЖКХ');
    expect(claimAt(claims, 'realm_access.missing.roles')).toBeUndefined();
  });
});

describe('PrincipalRateLimit', () => {
  it('lets perMinute requests through per principal and window, then says how long to wait', () => {
    let now = 1_000_000;
    const limit = new PrincipalRateLimit(3, () => now);
    expect([limit.hit('a'), limit.hit('a'), limit.hit('a')]).toEqual([0, 0, 0]);
    expect(limit.hit('b')).toBe(0);
    now += 20_000;
    expect(limit.hit('a')).toBe(40);
    now += 40_000;
    expect(limit.hit('a')).toBe(0);
    expect(new PrincipalRateLimit(0).hit('a')).toBe(0);
  });
});
