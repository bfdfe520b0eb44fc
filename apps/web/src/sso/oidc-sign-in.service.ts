/**
 * Single sign-on: the OpenID Connect authorization-code flow with PKCE (S256), `state` and `nonce`
 * (openid-client 5, CommonJS: docs/decisions/0006-tokens-sso-limits.md). The provider is discovered
 * on first use (so the engine starts while the provider is down). After the callback the person's
 * claims (ID token and userinfo) are mapped to an account — login = `sub` in lower case, name, roles
 * and department from OIDC_NAME_CLAIM, OIDC_ROLES_CLAIM, OIDC_DEPARTMENT_CLAIM — which is created or
 * updated and gets an ordinary web session.
 */
import { Inject, Injectable } from '@nestjs/common';
import { generators, Issuer, type BaseClient } from 'openid-client';
import { claimAt } from '../../../api/src/auth/auth-config';
import { isRole, type Role } from '../../../api/src/auth/principal';
import { unrecordable } from '../../../api/src/auth/token-verifier';
import { APP_CONFIG, type AppConfig } from '../../../api/src/config/app-config';
import { LOGGER } from '../../../api/src/logging/logger.module';
import type { Logger } from '../../../api/src/logging/logger';
import { CLOCK, type Clock } from '../../../api/src/shared/clock';
import { AccountsService } from '../accounts/accounts.service';
import type { Account } from '../accounts/users.store';
import type { OidcConfig } from './oidc-config';

/** What the browser keeps (in an HttpOnly cookie) between leaving for the provider and coming back. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  next?: string;
}

export type OidcSignInResult =
  | { ok: true; token: string; account: Account }
  | { ok: false; reason: 'taken' | 'disabled' | 'refused' | 'unreachable'; detail: string };

const MAX_TEXT = { sub: 200, name: 300, department: 300 };
/** Non-empty text of at most `max` characters, without control characters or unpaired surrogates. */
const printable = (value: string, max: number): boolean =>
  value.length > 0 && value.length <= max && !unrecordable(value);

@Injectable()
export class OidcSignIn {
  readonly config?: OidcConfig;
  private client?: Promise<BaseClient>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly accounts: AccountsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.config = config.web.oidc;
  }

  private async clientOf(config: OidcConfig): Promise<BaseClient> {
    this.client ??= Issuer.discover(config.issuerUrl).then(
      (issuer) =>
        new issuer.Client({
          client_id: config.clientId,
          client_secret: config.clientSecret,
          redirect_uris: [config.redirectUrl],
          response_types: ['code'],
        }),
    );
    try {
      return await this.client;
    } catch (error) {
      this.client = undefined; // discovered again next time
      throw error;
    }
  }

  /** Where to send the browser, and what it must bring back. */
  async start(next: string | undefined): Promise<{ url: string; pending: PendingSignIn }> {
    const config = this.required();
    const client = await this.clientOf(config);
    const pending: PendingSignIn = {
      state: generators.state(),
      nonce: generators.nonce(),
      codeVerifier: generators.codeVerifier(),
      ...(next ? { next } : {}),
    };
    const url = client.authorizationUrl({
      scope: config.scopes,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: generators.codeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url, pending };
  }

  /** The provider's answer (the callback's query) → a web session for the mapped account. */
  async finish(query: Record<string, string>, pending: PendingSignIn): Promise<OidcSignInResult> {
    const config = this.required();
    let claims: Record<string, unknown>;
    let issuer: string;
    try {
      const client = await this.clientOf(config);
      issuer = client.issuer.metadata.issuer;
      const tokens = await client.callback(config.redirectUrl, query, {
        state: pending.state,
        nonce: pending.nonce,
        code_verifier: pending.codeVerifier,
        response_type: 'code',
      });
      claims = { ...tokens.claims() };
      if (client.issuer.metadata.userinfo_endpoint && tokens.access_token) {
        const info = await client.userinfo(tokens.access_token);
        if (info.sub === claims.sub) claims = { ...claims, ...info };
      }
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      this.log.info({ detail }, 'single sign-on refused');
      return { ok: false, reason: 'refused', detail };
    }
    const sub = claims.sub;
    if (typeof sub !== 'string' || !printable(sub, MAX_TEXT.sub))
      return { ok: false, reason: 'refused', detail: 'the provider gave no usable "sub"' };
    const login = sub.toLowerCase();
    const nameClaim = claimAt(claims, config.nameClaim);
    const name = typeof nameClaim === 'string' && printable(nameClaim, MAX_TEXT.name) ? nameClaim : login;
    const rolesClaim = claimAt(claims, config.rolesClaim);
    const roles: Role[] = Array.isArray(rolesClaim) ? [...new Set(rolesClaim.filter(isRole))] : [];
    const departmentClaim = claimAt(claims, config.departmentClaim);
    const department =
      typeof departmentClaim === 'string' && printable(departmentClaim, MAX_TEXT.department)
        ? departmentClaim
        : undefined;
    const account = await this.accounts.users.upsertExternal(
      { login, name, roles, department },
      issuer,
      this.clock.now(),
    );
    if (!account)
      return {
        ok: false,
        reason: 'taken',
        detail: `the login "${login}" belongs to a local account`,
      };
    if (account.disabled)
      return { ok: false, reason: 'disabled', detail: `the account "${login}" is disabled` };
    const { token } = await this.accounts.sessions.open(account.login, this.clock.now());
    this.log.info({ login: account.login, issuer }, 'signed in through single sign-on');
    return { ok: true, token, account };
  }

  private required(): OidcConfig {
    if (!this.config) throw new Error('single sign-on is not configured (OIDC_ISSUER_URL)');
    return this.config;
  }
}
