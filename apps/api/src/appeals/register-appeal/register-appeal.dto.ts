/** Body of POST /appeals (docs/api.md, "Registration body"). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { IsCalendarDate } from '../../http/dto-rules';
import type { RegistrationInput } from './appeal-registration';

export class SourceDto {
  @ApiProperty({ enum: ['direct', 'presidential_administration', 'regional_administration', 'other_body'] })
  @IsIn(['direct', 'presidential_administration', 'regional_administration', 'other_body'])
  type!: 'direct' | 'presidential_administration' | 'regional_administration' | 'other_body';

  @ApiPropertyOptional({ description: 'the sending body', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  name?: string;

  @ApiPropertyOptional({ description: "the sender's reference number", maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;

  @ApiPropertyOptional({ example: '2018-03-01' })
  @IsOptional()
  @IsCalendarDate()
  date?: string;

  @ApiPropertyOptional({
    example: '2018-04-02',
    description:
      'the sending body asked for the result by this date ("с запросом результата"); not with type direct',
  })
  @IsOptional()
  @IsCalendarDate()
  reportBackBy?: string;
}

export class ApplicantDto {
  @ApiPropertyOptional({ example: 'Петров П.П.', maxLength: 300 })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  name?: string;

  @ApiPropertyOptional({ description: 'postal address', maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  address?: string;

  @ApiPropertyOptional({ maxLength: 320 })
  @IsOptional()
  @IsEmail({}, { message: 'must be an e-mail address' })
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({ maxLength: 50 })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  phone?: string;
}

export class QuestionDto {
  @ApiProperty({ example: '0005.0005.0056.1149', description: 'thematic classifier code', maxLength: 50 })
  @IsString()
  @MaxLength(50)
  code!: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  summary?: string;
}

export class ReceptionDto {
  @ApiProperty({ enum: ['head', 'deputy', 'department_head', 'specialist'] })
  @IsIn(['head', 'deputy', 'department_head', 'specialist'])
  officialRole!: 'head' | 'deputy' | 'department_head' | 'specialist';

  @ApiPropertyOptional({ maxLength: 300 })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  officialName?: string;

  @ApiProperty({ description: 'received at an on-site reception (выездной приём)' })
  @IsBoolean()
  onSite!: boolean;
}

export class RegisterAppealDto {
  @ApiPropertyOptional({
    example: '2018-03-05',
    description: 'defaults to the registration date (which defaults to today)',
  })
  @IsOptional()
  @IsCalendarDate()
  receivedAt?: string;

  @ApiPropertyOptional({
    example: '2018-03-06',
    description: 'defaults to today in the administration time zone',
  })
  @IsOptional()
  @IsCalendarDate()
  registeredAt?: string;

  @ApiProperty({ enum: ['written', 'electronic', 'personal_reception', 'phone'] })
  @IsIn(['written', 'electronic', 'personal_reception', 'phone'])
  channel!: 'written' | 'electronic' | 'personal_reception' | 'phone';

  @ApiProperty({ enum: ['proposal', 'application', 'complaint'] })
  @IsIn(['proposal', 'application', 'complaint'])
  kind!: 'proposal' | 'application' | 'complaint';

  @ApiPropertyOptional({ type: SourceDto, description: 'defaults to direct' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SourceDto)
  source?: SourceDto;

  @ApiProperty({ type: [ApplicantDto], maxItems: 1000 })
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => ApplicantDto)
  applicants!: ApplicantDto[];

  @ApiProperty({ type: [QuestionDto], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1, { message: 'an appeal holds at least one question' })
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => QuestionDto)
  questions!: QuestionDto[];

  @ApiPropertyOptional({ example: 'п. Елань', maxLength: 300 })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  territory?: string;

  @ApiPropertyOptional({ maxLength: 20000 })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  summary?: string;

  @ApiPropertyOptional({ type: ReceptionDto, description: 'only for personal_reception' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ReceptionDto)
  reception?: ReceptionDto;

  @ApiPropertyOptional({ description: 'id of the earlier appeal this one repeats' })
  @IsOptional()
  @IsUUID('all', { message: 'must be an appeal id (UUID)' })
  repeatOf?: string;

  @ApiPropertyOptional({
    description:
      'an anonymous appeal reports an offence being prepared, committed or done (59-FZ art. 11 ч.1): ' +
      'it stays on control with a 7-day term for its forwarding to the competent body',
  })
  @IsOptional()
  @IsBoolean()
  reportsOffence?: boolean;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 30,
    example: 20,
    description:
      'a term shorter than the configured one (59-FZ art. 12 ч.1.1: 20 days for some appeals to a region’s head; a regional law); needs termBasis',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30)
  termDays?: number;

  @ApiPropertyOptional({
    example: '59-ФЗ ст. 12 ч. 1.1',
    maxLength: 500,
    description: 'the norm the shorter term rests on; required with termDays, only with it',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  termBasis?: string;

  @ApiPropertyOptional({
    enum: ['epgu', 'official_site', 'information_system', 'email'],
    description:
      'only for channel electronic: the route (59-FZ art. 4 п.1); email only when received before 2025-03-30 (547-FZ)',
  })
  @IsOptional()
  @IsIn(['epgu', 'official_site', 'information_system', 'email'])
  electronicRoute?: 'epgu' | 'official_site' | 'information_system' | 'email';
}

/**
 * The body, validated, as the application service takes it (plain data, no HTTP type): fields the
 * body leaves out stay out.
 */
export function registrationInputOf(body: RegisterAppealDto): RegistrationInput {
  return {
    ...(body.receivedAt !== undefined && { receivedAt: body.receivedAt }),
    ...(body.registeredAt !== undefined && { registeredAt: body.registeredAt }),
    channel: body.channel,
    kind: body.kind,
    ...(body.source !== undefined && { source: { ...body.source } }),
    applicants: body.applicants.map((a) => ({ ...a })),
    questions: body.questions.map((q) => ({ ...q })),
    ...(body.territory !== undefined && { territory: body.territory }),
    ...(body.summary !== undefined && { summary: body.summary }),
    ...(body.reception !== undefined && { reception: { ...body.reception } }),
    ...(body.repeatOf !== undefined && { repeatOf: body.repeatOf }),
    ...(body.reportsOffence !== undefined && { reportsOffence: body.reportsOffence }),
    ...(body.termDays !== undefined && { termDays: body.termDays }),
    ...(body.termBasis !== undefined && { termBasis: body.termBasis }),
    ...(body.electronicRoute !== undefined && { electronicRoute: body.electronicRoute }),
  };
}
