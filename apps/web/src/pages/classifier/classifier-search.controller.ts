/** GET /classifier?q=: the registration card's picker — classifier entries by code prefix or words. */
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { AppealRules } from '@appeal-ledger/appeal';
import { APPEAL_RULES } from '../../../../api/src/appeals/appeal-rules.provider';
import { parseIntParam } from '../../../../api/src/http/query-params';

export interface ClassifierHit {
  code: string;
  title: string;
}

@ApiTags('classifier')
@ApiBearerAuth()
@Controller('classifier')
export class ClassifierSearchController {
  constructor(@Inject(APPEAL_RULES) private readonly rules: AppealRules) {}

  @Get()
  @ApiOperation({
    summary: 'Classifier entries whose code starts with q, or whose name contains every word of q',
    description: 'Any signed-in user. Sections, themes and (when configured) topics and questions.',
  })
  @ApiQuery({ name: 'q', required: true, description: 'a code prefix (0005.0005) or words (отопление)' })
  @ApiQuery({ name: 'limit', required: false, description: '1–50, default 20' })
  search(@Query('q') q?: string, @Query('limit') limit?: string): ClassifierHit[] {
    const max = parseIntParam(limit, 'limit', 1, 50) ?? 20;
    return this.rules.classifier
      .search(typeof q === 'string' ? q : '', max)
      .map((entry) => ({ code: entry.code, title: entry.name }));
  }
}
