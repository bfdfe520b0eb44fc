/**
 * POST /appeals/{id}/correspondence-termination: the head's decision to terminate correspondence with
 * the applicant on the appeal's question(s) (59-FZ art. 11 ч.5) — body and route. The earlier appeals'
 * facts are gathered here (read models and their streams) and judged by the decider (409 naming what
 * fails).
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CORRESPONDENCE_TERMINATION_MIN_ANSWERS } from '@appeal-ledger/appeal';
import { IsBusinessTime } from '../../http/dto-rules';
import { commandRoute } from '../http/command-route';
import { OfficialDto } from '../http/official.dto';

/** Earlier appeals one decision may name (a bound on the body and on the refusal's list). */
export const MAX_EARLIER_APPEALS = 20;

export class TerminationDecidedByDto extends OfficialDto {}

export class TerminationNoticeDto {
  @ApiPropertyOptional({ example: '2018-03-12', description: 'business time; defaults to now' })
  @IsOptional()
  @IsBusinessTime()
  sentAt?: string;

  @ApiProperty({ maxLength: 5000, description: 'what the applicant was told (personal data: sealed)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  text!: string;
}

export class TerminateCorrespondenceDto {
  @ApiProperty({
    type: TerminationDecidedByDto,
    description: 'the head of the body or the official he authorised (59-FZ art. 11 ч.5)',
  })
  @IsObject({ message: 'decidedBy must be an object { name, position }' })
  @ValidateNested()
  @Type(() => TerminationDecidedByDto)
  decidedBy!: TerminationDecidedByDto;

  @ApiPropertyOptional({ example: '2018-03-12', description: 'business time; defaults to now' })
  @IsOptional()
  @IsBusinessTime()
  decidedAt?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['0005.0005.0056.1149'],
    description: 'the questions correspondence ends on; default: every question of the appeal',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(100, { each: true })
  questionCodes?: string[];

  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: CORRESPONDENCE_TERMINATION_MIN_ANSWERS,
    maxItems: MAX_EARLIER_APPEALS,
    description:
      'earlier appeals of the same applicant answered on the merits on the question (at least two per question)',
  })
  @IsArray()
  @ArrayMinSize(CORRESPONDENCE_TERMINATION_MIN_ANSWERS)
  @ArrayMaxSize(MAX_EARLIER_APPEALS)
  @IsUUID('all', { each: true })
  earlierAppealIds!: string[];

  @ApiProperty({
    maxLength: 5000,
    description: 'why: the earlier answers on the merits, no new arguments or circumstances (sealed)',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  grounds!: string;

  @ApiPropertyOptional({ type: TerminationNoticeDto, description: "the applicant's notice of the decision" })
  @IsOptional()
  @IsObject({ message: 'notice must be an object { sentAt?, text }' })
  @ValidateNested()
  @Type(() => TerminationNoticeDto)
  notice?: TerminationNoticeDto;
}

export const terminateCorrespondence = commandRoute('TerminateCorrespondence', {
  path: 'correspondence-termination',
  summary: 'Terminate correspondence with the applicant on the question (59-FZ art. 11 ч.5)',
  roles: ['controller', 'admin'],
  body: TerminateCorrespondenceDto,
  at: (body) => body.decidedAt,
  command: async (body, at, request) => {
    const ids = body.earlierAppealIds.map((id) => id.toLowerCase());
    return {
      type: 'TerminateCorrespondence',
      data: {
        decidedBy: { name: body.decidedBy.name, position: body.decidedBy.position },
        decidedAt: at,
        ...(body.questionCodes !== undefined && { questionCodes: body.questionCodes }),
        earlierAppealIds: ids,
        grounds: body.grounds,
        ...(body.notice !== undefined && {
          notice: { sentAt: request.businessTime(body.notice.sentAt), text: body.notice.text },
        }),
        earlierAppeals: await request.facts.earlierAppeals(request.appealId, [...new Set(ids)]),
      },
    };
  },
});
