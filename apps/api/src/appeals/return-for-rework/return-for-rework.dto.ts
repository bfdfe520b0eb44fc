/** Body of POST /appeals/{id}/rework. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsBusinessTime } from '../../http/dto-rules';

export class ReturnForReworkDto {
  @ApiProperty({ example: 'ответ дан не по всем вопросам', maxLength: 5000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  reason!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBusinessTime()
  returnedAt?: string;
}
