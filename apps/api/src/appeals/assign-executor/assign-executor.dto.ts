/** Body of POST /appeals/{id}/assignment. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsBusinessTime } from '../../http/dto-rules';

export class ExecutorDto {
  @ApiProperty({
    example: 'sidorov',
    description: "the executor's user id (the token's sub)",
    maxLength: 200,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  id!: string;

  @ApiProperty({ example: 'Сидоров С.С.', maxLength: 300 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  name!: string;
}

export class AssignExecutorDto {
  @ApiProperty({ type: ExecutorDto })
  @IsDefined({ message: 'executor is required: { id, name }' })
  @IsObject({ message: 'executor must be an object { id, name }' })
  @ValidateNested()
  @Type(() => ExecutorDto)
  executor!: ExecutorDto;

  @ApiProperty({ example: 'Отдел ЖКХ', maxLength: 300 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  department!: string;

  @ApiPropertyOptional({ description: "the head's resolution", maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  instructions?: string;

  @ApiPropertyOptional({ description: 'business time; defaults to now' })
  @IsOptional()
  @IsBusinessTime()
  assignedAt?: string;
}
