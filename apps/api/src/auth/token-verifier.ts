/**
 * Bearer tokens → Principal. Two kinds of token are accepted:
 *
 * - local HS256 tokens signed with AUTH_JWT_SECRET (`npm run token`, `npm run user`), whose claims
 *   are `sub`, `name`, `roles`, `department`;
 * - an identity provider's asymmetric tokens (RS/PS/ES/EdDSA), verified against its JWKS
 *   (AUTH_JWKS_URL; fetched on first use, cached, fetched again when a token names an unknown `kid`,
 *   i.e. after the provider rotated its keys), whose roles, department and name are read from the
 *   claims AUTH_ROLES_CLAIM, AUTH_DEPARTMENT_CLAIM, AUTH_NAME_CLAIM.
 *
 * Every token must have `exp`, and live at most AUTH_MAX_TOKEN_LIFETIME (exp − iat, or exp − now
 * without iat); `iss` and `aud` must match AUTH_ISSUER and AUTH_AUDIENCE when those are set.
 */
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { Problem } from '../http/problem';
import { claimAt, type AuthConfig } from './auth-config';
import { isRole, type Principal } from './principal';

/** The identity provider's algorithms accepted through the JWKS. */
export const PROVIDER_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'EdDSA',
];

/** Longest identity claims accepted: the bounds of an executor's id and name in a command body. */
const MAX_CLAIM_LENGTH = { sub: 200, name: 300, department: 300 } as const;

/** Verified tokens, so a client's repeated token is not re-verified on every request. */
const VERIFIED_CACHE_LIMIT = 10_000;

export interface VerifiedToken {
  principal: Principal;
  /** when the engine stops accepting the token (exp + the clock tolerance, ms since the epoch) */
  expiresAtMs: number;
}

/** A C0/C1 control character, or a surrogate half without its other half. */
export function unrecordable(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0xdc00 && c <= 0xdfff)) return true;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    }
  }
  return false;
}

function recordable(claim: string, value: string, maxLength: number): void {
  if (value.length > maxLength || unrecordable(value)) {
    throw Problem.unauthorized(
      `the token's "${claim}" claim must be text of at most ${maxLength} characters, without control characters or unpaired surrogates`,
    );
  }
}

type Jwks = ReturnType<typeof createRemoteJWKSet>;

export class TokenVerifier {
  private readonly secretKey: Uint8Array;
  private readonly jwks?: Jwks;
  private readonly verified = new Map<string, { token: VerifiedToken; untilMs: number }>();

  constructor(
    private readonly config: AuthConfig,
    secret: string,
    private readonly now: () => number = Date.now,
  ) {
    this.secretKey = new TextEncoder().encode(secret);
    if (config.jwksUrl) {
      this.jwks = createRemoteJWKSet(new URL(config.jwksUrl), {
        cooldownDuration: config.jwksCooldownMs,
        cacheMaxAge: 10 * 60_000,
        timeoutDuration: 5_000,
      });
    }
  }

  /** The principal of a token, or a 401 Problem saying why not. */
  async verify(token: string): Promise<VerifiedToken> {
    const hit = this.verified.get(token);
    const nowMs = this.now();
    if (hit && hit.untilMs > nowMs) return hit.token;
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw Problem.unauthorized('the bearer token was refused: it is not a JSON Web Token');
    }
    const fromProvider = alg !== undefined && PROVIDER_ALGORITHMS.includes(alg);
    if (fromProvider && !this.jwks)
      throw Problem.unauthorized(
        `the bearer token was refused: ${alg} tokens need an identity provider (AUTH_JWKS_URL), and none is configured`,
      );
    let claims: JWTPayload;
    try {
      const options = {
        issuer: this.config.issuer,
        audience: this.config.audience,
        clockTolerance: this.config.clockToleranceSeconds,
        requiredClaims: ['exp'],
        currentDate: new Date(nowMs),
      };
      claims =
        fromProvider && this.jwks
          ? (await jwtVerify(token, this.jwks, { ...options, algorithms: PROVIDER_ALGORITHMS })).payload
          : (await jwtVerify(token, this.secretKey, { ...options, algorithms: ['HS256'] })).payload;
    } catch (error) {
      throw Problem.unauthorized(`the bearer token was refused: ${reasonOf(error)}`);
    }
    const expiresAtMs = this.checkLifetime(claims, nowMs);
    const principal = fromProvider ? this.providerPrincipal(claims) : localPrincipal(claims);
    if (this.verified.size >= VERIFIED_CACHE_LIMIT) this.verified.clear();
    // Cached until the token expires, at most 10 minutes (a disabled key stops working within them).
    const verified = { principal, expiresAtMs };
    this.verified.set(token, { token: verified, untilMs: Math.min(expiresAtMs, nowMs + 600_000) });
    return verified;
  }

  private checkLifetime(claims: JWTPayload, nowMs: number): number {
    const exp = claims.exp as number; // required and checked by jwtVerify
    const now = nowMs / 1000;
    const tolerance = this.config.clockToleranceSeconds;
    if (typeof claims.iat === 'number' && claims.iat > now + tolerance)
      throw Problem.unauthorized('the bearer token was refused: it was issued in the future ("iat")');
    const from = typeof claims.iat === 'number' ? claims.iat : now;
    const max = this.config.maxTokenLifetimeSeconds;
    if (exp - from > max + tolerance) {
      throw Problem.unauthorized(
        `the bearer token was refused: it lives ${Math.round(exp - from)} s, longer than the ${max} s allowed (AUTH_MAX_TOKEN_LIFETIME)`,
      );
    }
    // The moment the engine stops accepting it: a stream open on it ends then.
    return (exp + tolerance) * 1000;
  }

  private providerPrincipal(claims: JWTPayload): Principal {
    return toPrincipal(
      claims.sub,
      claimAt(claims, this.config.nameClaim),
      claimAt(claims, this.config.rolesClaim),
      claimAt(claims, this.config.departmentClaim),
      true,
    );
  }
}

function localPrincipal(claims: JWTPayload): Principal {
  return toPrincipal(claims.sub, claims.name, claims.roles, claims.department, false);
}

function toPrincipal(
  sub: unknown,
  name: unknown,
  roles: unknown,
  department: unknown,
  fromProvider: boolean,
): Principal {
  if (typeof sub !== 'string' || sub === '') throw Problem.unauthorized('the token has no "sub" claim');
  // The actor goes into every event it writes: refuse what PostgreSQL's jsonb cannot hold (NUL,
  // unpaired surrogates) or no user id needs, rather than fail the command with a 500.
  recordable('sub', sub, MAX_CLAIM_LENGTH.sub);
  if (typeof name === 'string') recordable('name', name, MAX_CLAIM_LENGTH.name);
  if (typeof department === 'string') recordable('department', department, MAX_CLAIM_LENGTH.department);
  // An identity provider's subject is the account's login in the web application (lower case there).
  const id = fromProvider ? sub.toLowerCase() : sub;
  return {
    id,
    name: typeof name === 'string' && name ? name : id,
    roles: Array.isArray(roles) ? [...new Set(roles.filter(isRole))] : [],
    department: typeof department === 'string' && department ? department : undefined,
  };
}

function reasonOf(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : 'invalid token';
  switch (code ?? '') {
    case 'ERR_JWT_EXPIRED':
      return 'it has expired ("exp")';
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return "no key of the identity provider's key set matches it";
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JOSE_GENERIC':
      return `the identity provider's key set could not be read (${message})`;
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return message === 'missing required "exp" claim' ? 'it has no "exp" claim' : message;
    default:
      return message;
  }
}
