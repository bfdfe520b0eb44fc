/** Body of POST /appeals/{id}/deadline-extensions. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsBusinessTime } from '../../http/dto-rules';

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

  @ApiPropertyOptional()
  @IsOptional()
  @IsBusinessTime()
  extendedAt?: string;
}
