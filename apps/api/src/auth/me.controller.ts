/**
 * GET /me: who the engine takes the caller for — the principal of the bearer token or web session,
 * as the access rules see it (an identity provider's claims mapped by AUTH_ROLES_CLAIM,
 * AUTH_DEPARTMENT_CLAIM, AUTH_NAME_CLAIM), and when the token expires.
 */
import { Controller, Get, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { type AuthenticatedRequest, CurrentPrincipal } from './auth.decorators';
import { ROLES, type Principal, type Role } from './principal';

export class MeResponse {
  @ApiProperty({
    description: "the token's \"sub\" (an identity provider's in lower case), or the account's login",
  })
  id!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty({ enum: ROLES, isArray: true })
  roles!: Role[];
  @ApiPropertyOptional()
  department?: string;
  @ApiPropertyOptional({ description: 'when the bearer token expires; absent for a web session' })
  expiresAt?: string;
}

@ApiTags('auth')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  @Get()
  @ApiOperation({ summary: 'The caller as the engine sees it: id, name, roles, department, token expiry' })
  @ApiOkResponse({ type: MeResponse })
  me(@CurrentPrincipal() principal: Principal, @Req() req: AuthenticatedRequest): MeResponse {
    return {
      id: principal.id,
      name: principal.name,
      roles: principal.roles,
      ...(principal.department ? { department: principal.department } : {}),
      ...(req.credentialExpiresAtMs ? { expiresAt: new Date(req.credentialExpiresAtMs).toISOString() } : {}),
    };
  }
}
