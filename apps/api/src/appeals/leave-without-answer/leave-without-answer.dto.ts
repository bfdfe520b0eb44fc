/** Body of POST /appeals/{id}/without-answer (59-FZ art. 11). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { WITHOUT_ANSWER_GROUNDS, type WithoutAnswerGround } from '@appeal-ledger/appeal';
import { IsBusinessTime } from '../../http/dto-rules';

export class WithoutAnswerNoticeDto {
  @ApiPropertyOptional({ example: '2018-03-05', description: 'business time; defaults to now' })
  @IsOptional()
  @IsBusinessTime()
  sentAt?: string;

  @ApiProperty({ maxLength: 5000, description: 'what the applicant was told (personal data: sealed)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  text!: string;
}

export class LeaveWithoutAnswerDto {
  @ApiProperty({ enum: WITHOUT_ANSWER_GROUNDS, example: 'unclear_essence' })
  @IsIn(WITHOUT_ANSWER_GROUNDS)
  ground!: WithoutAnswerGround;

  @ApiPropertyOptional({ example: '2018-03-05', description: 'business time; defaults to now' })
  @IsOptional()
  @IsBusinessTime()
  decidedAt?: string;

  @ApiPropertyOptional({
    type: WithoutAnswerNoticeDto,
    description:
      'the notice to the applicant; required on the grounds of docs/domain.md unless the appeal is anonymous',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => WithoutAnswerNoticeDto)
  notice?: WithoutAnswerNoticeDto;

  @ApiPropertyOptional({
    maxLength: 2000,
    example: 'https://adm.example.ru/faq/12',
    description: 'the address of the published answer (required for answer_published)',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  link?: string;
}
