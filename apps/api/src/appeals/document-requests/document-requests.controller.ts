/**
 * POST /appeals/{id}/document-requests: documents requested from another body (59-FZ art. 10 part 2,
 * reply within 15 days); POST /appeals/{id}/document-requests/{rid}/reply: its reply received.
 */
import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { deterministicEventId } from '@appeal-ledger/event-store';
import type { HttpReply, HttpRequest } from '../../http/http-types';
import { headerOf } from '../../http/http-types';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { Problem } from '../../http/problem';
import type { AppealSummary } from '../appeal-summary';
import { AppealCommandEndpoint } from '../http/command-endpoint';
import { assertAppealId } from '../http/command-request';
import {
  DocumentRequestCreatedDto,
  RecordDocumentsReplyDto,
  RequestDocumentsDto,
} from './document-requests.dto';

/** Request ids derived from an Idempotency-Key live in this namespace (a retry names the same request). */
const REQUEST_ID_NAMESPACE = 'appeal-ledger/document-requests';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@ApiTags('commands')
@ApiBearerAuth()
@Controller('appeals')
export class DocumentRequestsController {
  constructor(private readonly endpoint: AppealCommandEndpoint) {}

  @Post(':id/document-requests')
  @Roles('executor', 'controller', 'admin')
  @ApiOperation({ summary: 'Request documents from another body (it must reply within 15 days)' })
  @ApiCreatedResponse({
    type: DocumentRequestCreatedDto,
    description: 'the request; ETag carries the revision',
  })
  async requestDocuments(
    @Param('id') id: string,
    @Body() body: RequestDocumentsDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<DocumentRequestCreatedDto> {
    const appealId = assertAppealId(id);
    const key = headerOf(req, 'idempotency-key')?.trim().toLowerCase();
    const requestId = key ? deterministicEventId(REQUEST_ID_NAMESPACE, key, appealId) : randomUUID();
    const at = this.endpoint.at(body.sentAt);
    const { loaded, summary } = await this.endpoint.execute(
      req,
      res,
      principal,
      appealId,
      body,
      {
        type: 'RequestDocuments',
        data: { requestId, to: body.to, sentAt: at, reference: body.reference },
      },
      at,
    );
    const request = loaded.state.context.documentRequests.find((r) => r.requestId === requestId);
    if (!request) throw new Error(`document request ${requestId} not recorded`);
    res.status(201);
    res.header('Location', `/appeals/${summary.id}/document-requests/${requestId}`);
    return { requestId, replyDueDate: request.replyDueDate };
  }

  @Post(':id/document-requests/:rid/reply')
  @HttpCode(200)
  @Roles('executor', 'controller', 'admin')
  @ApiOperation({ summary: 'Record the reply to a document request' })
  async recordDocumentsReply(
    @Param('id') id: string,
    @Param('rid') rid: string,
    @Body() body: RecordDocumentsReplyDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<AppealSummary> {
    if (!UUID.test(rid)) throw Problem.notFound(`document request ${rid} not found (request ids are UUIDs)`);
    const at = this.endpoint.at(body.receivedAt);
    return this.endpoint.run(
      req,
      res,
      principal,
      id,
      body,
      {
        type: 'RecordDocumentsReply',
        data: { requestId: rid.toLowerCase(), receivedAt: at },
      },
      at,
    );
  }
}
