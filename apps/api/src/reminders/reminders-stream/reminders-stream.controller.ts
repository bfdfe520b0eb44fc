/**
 * GET /reminders/stream: the reminder feed as Server-Sent Events. Each event's `id:` is the
 * reminder's position, so a client that reconnects with `Last-Event-ID` resumes right after the last
 * one it saw; `event:` is the kind, `data:` the reminder JSON. Comment lines every 15 s keep proxies
 * from closing an idle stream. A principal may hold SSE_STREAMS_PER_PRINCIPAL streams at once (429
 * over); a stream opened with a bearer token ends when the token expires, and one opened from a web
 * session when the session ends (signed out, idle past SESSION_IDLE_MINUTES — the stream is not
 * activity — or the account disabled; checked every SESSION_CHECK_MS): an `expired` event, then the
 * end; the client needs a new token or a new sign-in to reconnect.
 */
import type { ServerResponse } from 'node:http';
import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { findReminders, type Reminder, type ReminderFeedFilter } from '@appeal-ledger/reminders';
import { type AuthenticatedRequest, CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import type { Principal } from '../../auth/principal';
import { headerOf, type HttpReply, type HttpRequest } from '../../http/http-types';
import { Problem } from '../../http/problem';
import { answer } from '../../http/refusal-problem';
import { PG_POOL } from '../../infrastructure/infrastructure.module';
import { parseReminderQuery, type ReminderQueryParams } from '../http/reminder-query';
import { REMINDER_READERS, reminderScopeFor } from '../reminder-readers.policy';
import { ReminderRuntime } from '../reminder-runtime.service';
import { StreamQuota } from './stream-quota';

export const HEARTBEAT_MS = 15_000;
/** how often a web session's stream checks that the session is still alive */
export const SESSION_CHECK_MS = HEARTBEAT_MS;
const PAGE = 500;
/** seconds a client over its stream quota is told to wait */
const QUOTA_RETRY_AFTER_S = 30;

export function sseEvent(reminder: Reminder): string {
  return `id: ${reminder.position}\nevent: ${reminder.kind}\ndata: ${JSON.stringify(reminder)}\n\n`;
}

@ApiTags('reminders')
@ApiBearerAuth()
@Controller('reminders')
export class RemindersStreamController {
  private readonly quota: StreamQuota;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly runtime: ReminderRuntime,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.quota = new StreamQuota(config.auth.streamsPerPrincipal);
  }

  @Get('stream')
  @Roles(...REMINDER_READERS)
  @ApiOperation({
    summary:
      'Reminders as Server-Sent Events (id = position, event = kind, data = reminder JSON); resume with Last-Event-ID',
    description:
      'event: due_soon, due_today, overdue, report_back_soon or report_back_overdue (docs/reminders.md); ignore others.',
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
    const asked = parseReminderQuery({ ...params, limit: undefined, minPosition: undefined }).filter;
    const scope = answer(reminderScopeFor(principal));
    const filter: ReminderFeedFilter = { ...asked, ...(scope !== undefined ? { scope } : {}) };
    const lastEventId = headerOf(req, 'last-event-id');
    if (lastEventId !== undefined && lastEventId.trim() !== '') {
      if (!/^\d{1,15}$/.test(lastEventId.trim()))
        throw Problem.validation([
          { field: 'Last-Event-ID', message: 'must be the id (position) of an event of this stream' },
        ]);
      filter.since = Number(lastEventId.trim());
    }
    const release = this.quota.acquire(principal.id);
    if (!release) {
      void reply.header('retry-after', String(QUOTA_RETRY_AFTER_S));
      throw Problem.tooManyRequests(
        `"${principal.id}" already has ${this.quota.perPrincipal} reminder streams open (SSE_STREAMS_PER_PRINCIPAL); close one first`,
        QUOTA_RETRY_AFTER_S,
      );
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
    res.on('close', release);
    // A bearer token's stream ends when the token does.
    const expiresAtMs = (req as AuthenticatedRequest).credentialExpiresAtMs;
    const expiry =
      expiresAtMs === undefined
        ? undefined
        : setTimeout(
            () => {
              if (!res.writableEnded) {
                res.write('event: expired\ndata: {"reason":"the token has expired"}\n\n');
                res.end();
              }
              close();
              release();
            },
            Math.max(0, expiresAtMs - Date.now()),
          );
    const sessionAlive = (req as AuthenticatedRequest).credentialAlive;
    const sessionEnded = async (): Promise<boolean> => {
      if (!sessionAlive || (await sessionAlive())) return false;
      if (!res.writableEnded) res.write('event: expired\ndata: {"reason":"the session has ended"}\n\n');
      close();
      return true;
    };
    try {
      await this.pump(filter, res, () => open, sessionEnded);
    } catch {
      // Headers are sent: the client sees the stream end and reconnects with Last-Event-ID.
    } finally {
      if (expiry) clearTimeout(expiry);
      release();
      untrack();
      if (!res.writableEnded) res.end();
    }
  }

  private async pump(
    filter: ReminderFeedFilter,
    res: ServerResponse,
    isOpen: () => boolean,
    sessionEnded: () => Promise<boolean>,
  ): Promise<void> {
    let since = filter.since ?? 0;
    let checkedAt = Date.now();
    while (isOpen() && !this.runtime.isStopping) {
      if (Date.now() - checkedAt >= SESSION_CHECK_MS) {
        if (await sessionEnded()) return;
        checkedAt = Date.now();
      }
      // The checkpoint first: whatever commits after it wakes the wait below.
      const checkpoint = await this.runtime.feedCheckpoint();
      const page = await findReminders(this.pool, { ...filter, since, limit: PAGE });
      if (!isOpen()) return;
      for (const reminder of page) {
        res.write(sseEvent(reminder));
        since = reminder.position;
      }
      if (page.length === PAGE) continue;
      const moved = await this.runtime.waitForFeed(
        Math.max(checkpoint, since) + 1,
        Math.min(HEARTBEAT_MS, Math.max(0, SESSION_CHECK_MS - (Date.now() - checkedAt))),
      );
      if (!moved && isOpen()) res.write(': heartbeat\n\n');
    }
  }
}
