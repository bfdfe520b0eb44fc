/**
 * Accounts (admin, bearer token or session): POST /admin/users, GET /admin/users,
 * GET /admin/users/{login}, PATCH /admin/users/{login}. Passwords are stored as scrypt hashes and
 * never returned or logged.
 */
import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../../../api/src/auth/auth.decorators';
import { Problem } from '../../../api/src/http/problem';
import { AccountsService } from './accounts.service';
import { CreateUserDto, UpdateUserDto, UserDto } from './admin-users.dto';
import { LoginTakenError, type Account } from './users.store';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('admin/users')
@Roles('admin')
export class AdminUsersController {
  constructor(private readonly accounts: AccountsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a local account' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiConflictResponse({ description: 'the login is taken' })
  async create(@Body() body: CreateUserDto): Promise<Account> {
    try {
      return await this.accounts.createAccount(body);
    } catch (error) {
      if (error instanceof LoginTakenError)
        throw Problem.conflict('login-taken', 'The login is taken', error.message, {
          errors: [{ field: 'login', message: 'this login is taken' }],
        });
      throw error;
    }
  }

  @Get()
  @ApiOperation({ summary: 'Every account, by login' })
  @ApiOkResponse({ type: UserDto, isArray: true })
  list(): Promise<Account[]> {
    return this.accounts.users.list();
  }

  @Get(':login')
  @ApiOperation({ summary: 'One account' })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse()
  async get(@Param('login') login: string): Promise<Account> {
    const account = await this.accounts.users.find(login);
    if (!account) throw Problem.notFound(`no account "${login}"`);
    const { passwordHash: _hash, ...rest } = account;
    return rest;
  }

  @Patch(':login')
  @ApiOperation({ summary: 'Change roles, department, name, password or disable/enable an account' })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse()
  async update(@Param('login') login: string, @Body() body: UpdateUserDto): Promise<Account> {
    const updated = await this.accounts.updateAccount(login, {
      ...body,
      department: body.department === '' ? null : body.department,
    });
    if (!updated) throw Problem.notFound(`no account "${login}"`);
    return updated;
  }
}
