/** GET /reminders: reminders issued after `since`, in position order (a department's pull feed). */
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Reminder } from '@appeal-ledger/reminders';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { answer } from '../../http/refusal-problem';
import { parseReminderQuery, type ReminderQueryParams } from '../http/reminder-query';
import { REMINDER_READERS } from '../reminder-readers.policy';
import { GetReminders } from './get-reminders.service';

@ApiTags('reminders')
@ApiBearerAuth()
@Controller('reminders')
export class GetRemindersController {
  constructor(private readonly getReminders: GetReminders) {}

  @Get()
  @Roles(...REMINDER_READERS)
  @ApiOperation({
    summary:
      'Deadline reminders after a position: { id, appealId, number, kind, dueDate, issuedAt, department, executor, position }. ' +
      'Continue with since=<last position>. Executors see reminders about their own appeals.',
    description:
      'kind: due_soon, due_today, overdue (the consideration term; dueDate its end) or report_back_soon, ' +
      'report_back_overdue (the report the sending body asked for; dueDate = source.reportBackBy). ' +
      'Ignore kinds you do not know.',
  })
  @ApiQuery({ name: 'since', required: false, description: 'exclusive position (default 0)' })
  @ApiQuery({ name: 'department', required: false })
  @ApiQuery({ name: 'appealId', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1–5000, default 500' })
  @ApiQuery({ name: 'minPosition', required: false, description: 'wait (≤ 5 s) until projected' })
  async list(
    @Query() params: ReminderQueryParams,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Reminder[]> {
    const { filter, minPosition } = parseReminderQuery(params);
    return answer(await this.getReminders.read({ principal, filter, minPosition }));
  }
}
