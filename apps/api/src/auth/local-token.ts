/**
 * Local HS256 tokens, as the CLIs mint them (`npm run token`, `npm run user`): `iat`, `exp` after
 * `ttlSeconds`, and AUTH_ISSUER / AUTH_AUDIENCE when configured, so the engine accepts them.
 */
import { JwtService } from '@nestjs/jwt';
import type { AuthConfig } from './auth-config';

export function signLocalToken(
  secret: string,
  auth: Pick<AuthConfig, 'issuer' | 'audience'>,
  claims: Record<string, unknown>,
  ttlSeconds: number,
): string {
  return new JwtService({ secret }).sign(claims, {
    algorithm: 'HS256',
    expiresIn: ttlSeconds,
    ...(auth.issuer ? { issuer: auth.issuer } : {}),
    ...(auth.audience ? { audience: auth.audience } : {}),
  });
}
