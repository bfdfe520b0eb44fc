/** The web application's settings (README: SESSION_IDLE_MINUTES, TRUST_PROXY, OIDC_*). */
import { loadOidcConfig, OidcConfigError, type OidcConfig } from './sso/oidc-config';

export interface WebConfig {
  /** a session ends after this many minutes without a request */
  sessionIdleMinutes: number;
  /** behind a reverse proxy: take the client address and scheme from X-Forwarded-* */
  trustProxy: boolean;
  /** single sign-on through an OpenID Connect provider, when configured (sso/oidc-config.ts) */
  oidc?: OidcConfig;
}

export class WebConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadWebConfig(env: NodeJS.ProcessEnv): WebConfig {
  const idleRaw = env.SESSION_IDLE_MINUTES?.trim();
  const idle = idleRaw ? Number(idleRaw) : 30;
  if (!Number.isInteger(idle) || idle < 1 || idle > 7 * 24 * 60)
    throw new WebConfigError(`SESSION_IDLE_MINUTES must be an integer from 1 to 10080, got "${idleRaw}"`);
  const proxy = (env.TRUST_PROXY ?? '').trim().toLowerCase();
  if (proxy && !['1', 'true', 'yes', 'on', '0', 'false', 'no', 'off'].includes(proxy))
    throw new WebConfigError(`TRUST_PROXY must be true or false, got "${env.TRUST_PROXY}"`);
  let oidc: OidcConfig | undefined;
  try {
    oidc = loadOidcConfig(env);
  } catch (error) {
    throw error instanceof OidcConfigError ? new WebConfigError(error.message) : error;
  }
  return { sessionIdleMinutes: idle, trustProxy: ['1', 'true', 'yes', 'on'].includes(proxy), oidc };
}
