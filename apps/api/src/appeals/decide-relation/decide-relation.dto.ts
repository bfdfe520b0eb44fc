/** Body of POST /appeals/{id}/related/confirm and /related/reject. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { RELATION_KINDS, type RelationKind } from '@appeal-ledger/appeal';
import { IsBusinessTime } from '../../http/dto-rules';

export class DecideRelationDto {
  @ApiProperty({ description: 'the earlier appeal (from GET /appeals/{id}/related)', format: 'uuid' })
  @IsUUID()
  relatedAppealId!: string;

  @ApiProperty({ enum: RELATION_KINDS, description: 'repeat (повторное) or duplicate (дубликат)' })
  @IsIn(RELATION_KINDS)
  kind!: RelationKind;

  @ApiPropertyOptional({ example: '2018-03-12', description: 'business time; defaults to now' })
  @IsOptional()
  @IsBusinessTime()
  decidedAt?: string;
}
