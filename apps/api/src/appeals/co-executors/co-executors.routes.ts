/**
 * Issue 14: POST /appeals/{id}/resolution (the head's resolution: the responsible executor, who is
 * assigned by it and answers, and the co-executors, who send parts) and POST /appeals/{id}/contributions
 * (a co-executor's part). Bodies and routes; the table in ../command-routes.ts lists them.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { MAX_CO_EXECUTORS } from '@appeal-ledger/appeal';
import { IsBusinessTime, IsCalendarDate } from '../../http/dto-rules';
import { commandRoute } from '../http/command-route';
import { OfficialDto } from '../http/official.dto';

export class ResolutionAuthorDto extends OfficialDto {}

export class ResponsibleExecutorDto {
  @ApiProperty({ example: 'ivanova', description: "the user id (the token's sub)", maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  id!: string;

  @ApiProperty({ example: 'Иванова А.А.', maxLength: 300 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  name!: string;

  @ApiProperty({ example: 'Отдел ЖКХ', maxLength: 300 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  department!: string;
}

export class CoExecutorDto extends ResponsibleExecutorDto {
  @ApiPropertyOptional({
    example: '2018-03-20',
    description:
      "the part's own term: not before the resolution's date, not after the appeal's due date; absent: the appeal's due date",
  })
  @IsOptional()
  @IsCalendarDate()
  dueDate?: string;
}

export class RecordResolutionDto {
  @ApiProperty({ type: ResolutionAuthorDto, description: 'who gave the resolution (the head or a deputy)' })
  @IsDefined({ message: 'author is required: { name, position }' })
  @IsObject({ message: 'author must be an object { name, position }' })
  @ValidateNested()
  @Type(() => ResolutionAuthorDto)
  author!: ResolutionAuthorDto;

  @ApiProperty({
    example: 'Иванова — подготовить ответ; Сидоров — сведения о ремонте дороги',
    maxLength: 5000,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  text!: string;

  @ApiPropertyOptional({
    example: '2018-03-02',
    description: 'business time of the resolution; defaults to now',
  })
  @IsOptional()
  @IsBusinessTime()
  decidedAt?: string;

  @ApiProperty({
    type: ResponsibleExecutorDto,
    description: 'the responsible executor: the appeal is assigned to them (they answer)',
  })
  @IsDefined({ message: 'responsible is required: { id, name, department }' })
  @IsObject({ message: 'responsible must be an object { id, name, department }' })
  @ValidateNested()
  @Type(() => ResponsibleExecutorDto)
  responsible!: ResponsibleExecutorDto;

  @ApiProperty({
    type: [CoExecutorDto],
    maxItems: MAX_CO_EXECUTORS,
    description: 'the co-executors (absent or empty: none); no id twice, not the responsible executor',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CO_EXECUTORS)
  @ValidateNested({ each: true })
  @Type(() => CoExecutorDto)
  coExecutors?: CoExecutorDto[];

  @ApiPropertyOptional({
    example: '2018-03-26',
    description: "the internal term for the responsible executor; not after the appeal's due date",
  })
  @IsOptional()
  @IsCalendarDate()
  internalDueDate?: string;
}

export const recordResolutionRoute = commandRoute('RecordResolution', {
  path: 'resolution',
  summary:
    "Record the head's resolution: the responsible executor (assigned by it) and the co-executors with their parts' terms",
  roles: ['controller', 'admin'],
  body: RecordResolutionDto,
  at: (body) => body.decidedAt,
  command: (body, at) => ({
    type: 'RecordResolution',
    data: {
      author: { name: body.author.name, position: body.author.position },
      text: body.text,
      decidedAt: at,
      responsible: {
        id: body.responsible.id,
        name: body.responsible.name,
        department: body.responsible.department,
      },
      coExecutors: (body.coExecutors ?? []).map((c) => ({
        id: c.id,
        name: c.name,
        department: c.department,
        ...(c.dueDate !== undefined && { dueDate: c.dueDate }),
      })),
      ...(body.internalDueDate !== undefined && { internalDueDate: body.internalDueDate }),
    },
  }),
});

export class RecordContributionDto {
  @ApiProperty({ example: 'ремонт дороги включён в план на май', maxLength: 20000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  text!: string;

  @ApiPropertyOptional({ example: '2018-03-15', description: 'business time; defaults to now' })
  @IsOptional()
  @IsBusinessTime()
  sentAt?: string;

  @ApiPropertyOptional({
    example: 'sidorov',
    maxLength: 200,
    description: "whose part it is: the caller's own by default; only an admin names another co-executor",
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  coExecutorId?: string;
}

export const recordContributionRoute = commandRoute('RecordContribution', {
  path: 'contributions',
  summary: "Record a co-executor's part (only a co-executor named in the resolution in force, or an admin)",
  roles: ['executor', 'controller', 'registrar', 'admin'],
  body: RecordContributionDto,
  at: (body) => body.sentAt,
  command: (body, at, request) => ({
    type: 'RecordContribution',
    data: { coExecutorId: body.coExecutorId ?? request.principal.id, text: body.text, sentAt: at },
  }),
});
