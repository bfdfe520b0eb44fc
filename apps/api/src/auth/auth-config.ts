/**
 * Token rules and limits (README «Tokens», docs/decisions/0006-tokens-sso-limits.md): the longest
 * token lifetime, the expected issuer and audience, an identity provider's JWKS and the claims that
 * carry roles and department; per-principal and per-address request rates; live streams per principal.
 */
export interface AuthConfig {
  /** a token whose exp − iat (or exp − now, without iat) exceeds this is refused */
  maxTokenLifetimeSeconds: number;
  /** clock skew allowed on exp, nbf and iat */
  clockToleranceSeconds: number;
  /** every bearer token must carry this `iss` (when set) */
  issuer?: string;
  /** every bearer token's `aud` must contain this (when set) */
  audience?: string;
  /** an identity provider's JSON Web Key Set: RS/PS/ES/EdDSA tokens are verified against it */
  jwksUrl?: string;
  /** after a JWKS fetch, no other fetch for this long (an unknown `kid` refetches after it) */
  jwksCooldownMs: number;
  /** the identity provider's claim (dotted path) holding the roles, e.g. realm_access.roles */
  rolesClaim: string;
  /** the identity provider's claim (dotted path) holding the department */
  departmentClaim: string;
  /** the identity provider's claim holding the person's name (falls back to sub) */
  nameClaim: string;
  /** requests per minute per principal (token sub or account); 0 = no limit */
  rateLimitPerMinute: number;
  /** requests per minute per client address; 0 = no limit */
  rateLimitPerAddressPerMinute: number;
  /** concurrent live streams (/reminders/stream) per principal */
  streamsPerPrincipal: number;
}

export class AuthConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The shortest HS256 secret accepted (RFC 7518 §3.2: a key at least as long as the hash). */
export const MIN_JWT_SECRET_BYTES = 32;

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `3600`, `90s`, `30m`, `12h`, `1d` → seconds. */
export function parseDuration(name: string, raw: string): number {
  const m = /^(\d{1,9})\s*([smhd]?)$/.exec(raw.trim());
  if (!m) throw new AuthConfigError(`${name} must be a duration like 3600, 30m, 12h or 1d, got "${raw}"`);
  return Number(m[1]) * UNITS[m[2] || 's'];
}

/** Refuses an HS256 secret shorter than 32 bytes, naming where it came from. */
export function checkJwtSecret(secret: string, source: string): void {
  const bytes = Buffer.byteLength(secret, 'utf8');
  if (bytes < MIN_JWT_SECRET_BYTES) {
    throw new AuthConfigError(
      `${source} must be at least ${MIN_JWT_SECRET_BYTES} bytes long (it has ${bytes}): ` +
        'a short HS256 secret can be guessed offline from any token; generate one with `openssl rand -base64 48`',
    );
  }
}

function text(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new AuthConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return value;
}

function claimPath(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = text(env, name) ?? fallback;
  if (!/^[^.\s]+(\.[^.\s]+)*$/.test(raw))
    throw new AuthConfigError(`${name} must be a claim name or a dotted path (a.b.c), got "${raw}"`);
  return raw;
}

function httpUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AuthConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new AuthConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  return raw;
}

export function loadAuthConfig(env: NodeJS.ProcessEnv): AuthConfig {
  const secret = env.AUTH_JWT_SECRET?.trim();
  if (secret) checkJwtSecret(secret, 'AUTH_JWT_SECRET');
  const lifetime = parseDuration('AUTH_MAX_TOKEN_LIFETIME', text(env, 'AUTH_MAX_TOKEN_LIFETIME') ?? '12h');
  if (lifetime < 60 || lifetime > 7 * 86_400)
    throw new AuthConfigError(`AUTH_MAX_TOKEN_LIFETIME must be from 1 minute to 7 days, got ${lifetime} s`);
  const jwksUrl = httpUrl(env, 'AUTH_JWKS_URL');
  const issuer = text(env, 'AUTH_ISSUER');
  if (jwksUrl && !issuer)
    throw new AuthConfigError(
      'AUTH_JWKS_URL needs AUTH_ISSUER: without it any token signed by the provider, for any issuer, would be accepted',
    );
  return {
    maxTokenLifetimeSeconds: lifetime,
    clockToleranceSeconds: int(env, 'AUTH_CLOCK_TOLERANCE_SECONDS', 30, 0, 300),
    issuer,
    audience: text(env, 'AUTH_AUDIENCE'),
    jwksUrl,
    jwksCooldownMs: int(env, 'AUTH_JWKS_COOLDOWN_MS', 30_000, 0, 3_600_000),
    rolesClaim: claimPath(env, 'AUTH_ROLES_CLAIM', 'roles'),
    departmentClaim: claimPath(env, 'AUTH_DEPARTMENT_CLAIM', 'department'),
    nameClaim: claimPath(env, 'AUTH_NAME_CLAIM', 'name'),
    rateLimitPerMinute: int(env, 'RATE_LIMIT_PER_MINUTE', 600, 0, 10_000_000),
    rateLimitPerAddressPerMinute: int(env, 'RATE_LIMIT_PER_ADDRESS_PER_MINUTE', 3000, 0, 10_000_000),
    streamsPerPrincipal: int(env, 'SSE_STREAMS_PER_PRINCIPAL', 10, 1, 1000),
  };
}

/** The value at a dotted path of a claims object (`realm_access.roles`); a literal key wins. */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (path in claims) return claims[path];
  let value: unknown = claims;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
