/** Bodies of POST /admin/users and PATCH /admin/users/{login}. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { ROLES, type Role } from '../../../api/src/auth/principal';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password';

export const LOGIN_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const LOGIN_MESSAGE =
  'must be 1-64 Latin letters, digits, ".", "_", "@" or "-", starting with a letter or digit';
const PASSWORD_MESSAGE = `must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`;
const ROLE_MESSAGE = `each role must be one of: ${ROLES.join(', ')}`;

export class CreateUserDto {
  @ApiProperty({ example: 'ivanova', description: 'unique; stored in lower case' })
  @IsString()
  @Matches(LOGIN_PATTERN, { message: `login ${LOGIN_MESSAGE}` })
  login!: string;

  @ApiProperty({ example: 'Иванова А.А.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  name!: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['registrar', 'controller'] })
  @IsArray()
  @ArrayUnique()
  @IsIn(ROLES, { each: true, message: ROLE_MESSAGE })
  roles!: Role[];

  @ApiPropertyOptional({ example: 'Отдел ЖКХ' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  department?: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, writeOnly: true })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH, { message: `password ${PASSWORD_MESSAGE}` })
  @MaxLength(PASSWORD_MAX_LENGTH, { message: `password ${PASSWORD_MESSAGE}` })
  password!: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ example: 'Иванова А.А.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  name?: string;

  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(ROLES, { each: true, message: ROLE_MESSAGE })
  roles?: Role[];

  @ApiPropertyOptional({ example: 'Отдел ЖКХ', nullable: true, description: 'null or "" clears it' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsString()
  @MaxLength(300)
  department?: string | null;

  @ApiPropertyOptional({ description: 'a disabled account cannot sign in; its sessions end at once' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ minLength: PASSWORD_MIN_LENGTH, writeOnly: true, description: 'ends its sessions' })
  @IsOptional()
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH, { message: `password ${PASSWORD_MESSAGE}` })
  @MaxLength(PASSWORD_MAX_LENGTH, { message: `password ${PASSWORD_MESSAGE}` })
  password?: string;
}

export class UserDto {
  @ApiProperty({ example: 'ivanova' }) login!: string;
  @ApiProperty({ example: 'Иванова А.А.' }) name!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: Role[];
  @ApiPropertyOptional({ example: 'Отдел ЖКХ' }) department?: string;
  @ApiProperty() disabled!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
