/** Body of POST /appeals/{id}/deadline-extensions. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsBusinessTime } from '../../http/dto-rules';

/** The official who decided the extension (59-FZ art. 12 ч.2: the head or one he authorised). */
export class DecidedByDto {
  @ApiProperty({ example: 'Иванов И.И.', maxLength: 300 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  name!: string;

  @ApiProperty({ example: 'глава района', maxLength: 300 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  position!: string;
}

export class ExtendDeadlineDto {
  @ApiProperty({ minimum: 1, maximum: 30, description: 'calendar days added to the nominal end of the term' })
  @IsInt()
  @Min(1)
  @Max(30)
  days!: number;

  @ApiProperty({ example: 'запрошены документы в других органах', maxLength: 2000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;

  @ApiPropertyOptional({
    description: 'the decision; on or before the due date in force (else 409 term-expired)',
  })
  @IsOptional()
  @IsBusinessTime()
  extendedAt?: string;

  @ApiProperty({ type: DecidedByDto, description: 'who decided the extension (art. 12 ч.2)' })
  @IsObject()
  @ValidateNested()
  @Type(() => DecidedByDto)
  decidedBy!: DecidedByDto;

  @ApiPropertyOptional({
    description: 'when the applicant was notified of the extension (a date or an instant)',
  })
  @IsOptional()
  @IsBusinessTime()
  applicantNotifiedAt?: string;
}
