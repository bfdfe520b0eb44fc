/**
 * Single sign-on through an OpenID Connect provider (README «Single sign-on»): on when
 * OIDC_ISSUER_URL is set, which then needs OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_REDIRECT_URL
 * (the engine's `…/login/oidc/callback`, as registered with the provider).
 */
export interface OidcConfig {
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
  scopes: string;
  /** «Войти через …» */
  providerName: string;
  rolesClaim: string;
  departmentClaim: string;
  nameClaim: string;
}

export const OIDC_CALLBACK_PATH = '/login/oidc/callback';

export class OidcConfigError extends Error {
  override readonly name = 'ConfigError';
}

const text = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
};

function claim(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = text(env, name) ?? fallback;
  if (!/^[^.\s]+(\.[^.\s]+)*$/.test(raw))
    throw new OidcConfigError(`${name} must be a claim name or a dotted path (a.b.c), got "${raw}"`);
  return raw;
}

function url(name: string, raw: string): URL {
  try {
    const parsed = new URL(raw);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed;
  } catch {
    // reported below
  }
  throw new OidcConfigError(`${name} must be an http(s) URL, got "${raw}"`);
}

export function loadOidcConfig(env: NodeJS.ProcessEnv): OidcConfig | undefined {
  const issuerUrl = text(env, 'OIDC_ISSUER_URL');
  if (!issuerUrl) return undefined;
  url('OIDC_ISSUER_URL', issuerUrl);
  const missing = ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URL'].filter((n) => !text(env, n));
  if (missing.length)
    throw new OidcConfigError(`OIDC_ISSUER_URL is set, so ${missing.join(', ')} must be too`);
  const redirectUrl = text(env, 'OIDC_REDIRECT_URL') as string;
  if (url('OIDC_REDIRECT_URL', redirectUrl).pathname !== OIDC_CALLBACK_PATH)
    throw new OidcConfigError(
      `OIDC_REDIRECT_URL must be the engine's address ending in ${OIDC_CALLBACK_PATH}, got "${redirectUrl}"`,
    );
  return {
    issuerUrl,
    clientId: text(env, 'OIDC_CLIENT_ID') as string,
    clientSecret: text(env, 'OIDC_CLIENT_SECRET') as string,
    redirectUrl,
    scopes: text(env, 'OIDC_SCOPES') ?? 'openid profile',
    providerName: text(env, 'OIDC_PROVIDER_NAME') ?? 'единую учётную запись',
    rolesClaim: claim(env, 'OIDC_ROLES_CLAIM', text(env, 'AUTH_ROLES_CLAIM') ?? 'roles'),
    departmentClaim: claim(env, 'OIDC_DEPARTMENT_CLAIM', text(env, 'AUTH_DEPARTMENT_CLAIM') ?? 'department'),
    nameClaim: claim(env, 'OIDC_NAME_CLAIM', text(env, 'AUTH_NAME_CLAIM') ?? 'name'),
  };
}
