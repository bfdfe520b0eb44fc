/**
 * GET /reminders/stream: the reminder feed as Server-Sent Events. Each event's `id:` is the
 * reminder's position, so a client that reconnects with `Last-Event-ID` resumes right after the last
 * one it saw; `event:` is the kind, `data:` the reminder JSON. Comment lines every 15 s keep proxies
 * from closing an idle stream.
 */
import type { ServerResponse } from 'node:http';
import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { findReminders, type Reminder, type ReminderFeedFilter } from '@appeal-ledger/reminders';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { headerOf, type HttpReply, type HttpRequest } from '../../http/http-types';
import { Problem } from '../../http/problem';
import { PG_POOL } from '../../infrastructure/infrastructure.module';
import { parseReminderQuery, REMINDER_READERS, type ReminderQueryParams } from '../reminder-readers.policy';
import { ReminderRuntime } from '../reminder-runtime.service';

export const HEARTBEAT_MS = 15_000;
const PAGE = 500;

export function sseEvent(reminder: Reminder): string {
  return `id: ${reminder.position}\nevent: ${reminder.kind}\ndata: ${JSON.stringify(reminder)}\n\n`;
}

@ApiTags('reminders')
@ApiBearerAuth()
@Controller('reminders')
export class RemindersStreamController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly runtime: ReminderRuntime,
  ) {}

  @Get('stream')
  @Roles(...REMINDER_READERS)
  @ApiOperation({
    summary:
      'Reminders as Server-Sent Events (id = position, event = kind, data = reminder JSON); resume with Last-Event-ID',
  })
  @ApiProduces('text/event-stream')
  @ApiQuery({ name: 'since', required: false, description: 'start after this position (Last-Event-ID wins)' })
  @ApiQuery({ name: 'department', required: false })
  @ApiQuery({ name: 'appealId', required: false })
  async stream(
    @Query() params: ReminderQueryParams,
    @CurrentPrincipal() principal: Principal,
    @Req() req: HttpRequest,
    @Res() reply: HttpReply,
  ): Promise<void> {
    const { filter } = parseReminderQuery({ ...params, limit: undefined, minPosition: undefined }, principal);
    const lastEventId = headerOf(req, 'last-event-id');
    if (lastEventId !== undefined && lastEventId.trim() !== '') {
      if (!/^\d{1,15}$/.test(lastEventId.trim()))
        throw Problem.validation([
          { field: 'Last-Event-ID', message: 'must be the id (position) of an event of this stream' },
        ]);
      filter.since = Number(lastEventId.trim());
    }
    // From here on the stream is written by hand: Fastify must not send a reply of its own.
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 3000\n\n');

    let open = true;
    const close = (): void => {
      open = false;
    };
    const untrack = this.runtime.trackStream(() => {
      close();
      res.end();
    });
    res.on('close', close);
    try {
      await this.pump(filter, res, () => open);
    } catch {
      // Headers are sent: the client sees the stream end and reconnects with Last-Event-ID.
    } finally {
      untrack();
      if (!res.writableEnded) res.end();
    }
  }

  private async pump(filter: ReminderFeedFilter, res: ServerResponse, isOpen: () => boolean): Promise<void> {
    let since = filter.since ?? 0;
    while (isOpen() && !this.runtime.isStopping) {
      // The checkpoint first: whatever commits after it wakes the wait below.
      const checkpoint = await this.runtime.feedCheckpoint();
      const page = await findReminders(this.pool, { ...filter, since, limit: PAGE });
      if (!isOpen()) return;
      for (const reminder of page) {
        res.write(sseEvent(reminder));
        since = reminder.position;
      }
      if (page.length === PAGE) continue;
      const moved = await this.runtime.waitForFeed(Math.max(checkpoint, since) + 1, HEARTBEAT_MS);
      if (!moved && isOpen()) res.write(': heartbeat\n\n');
    }
  }
}
