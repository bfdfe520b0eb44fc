/**
 * The commands on an existing appeal over HTTP: each command's body (class-validator rules and
 * Swagger schema) and its route, in one table keyed by command type — a command without a route does
 * not compile. Served by the one controller of ./http/command-controller.ts; the pipeline behind it
 * (If-Match, Idempotency-Key, authorization, problem+json) is shared (./http/command-endpoint.ts).
 * Registration (POST /appeals) has its own controller: it creates the appeal.
 */
import { randomUUID } from 'node:crypto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  FINAL_QUESTION_RESULTS,
  RELATION_KINDS,
  WITHOUT_ANSWER_GROUNDS,
  type FinalQuestionResult,
  type RelationKind,
  type WithoutAnswerGround,
} from '@appeal-ledger/appeal';
import { deterministicEventId } from '@appeal-ledger/event-store';
import { IsBusinessTime, IsCalendarDate } from '../http/dto-rules';
import { commandRoute, type CommandOf, type CommandRoutes, type RouteCheck } from './http/command-route';
import { AnswerDocumentDto, answerDocumentFields } from './answer-document/answer-document.dto';
import {
  FurtherControlDto,
  MeasuresCompletedDto,
  ReportToSourceDto,
} from './control-outcomes/control-outcomes.dto';
import { terminateCorrespondence } from './correspondence-termination/correspondence-termination.dto';
import { recordContributionRoute, recordResolutionRoute } from './co-executors/co-executors.routes';
import { OfficialDto } from './http/official.dto';

// --- POST /appeals/{id}/assignment

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

const assignExecutor = commandRoute('AssignExecutor', {
  path: 'assignment',
  summary: 'Assign (or reassign) the executor',
  roles: ['controller', 'admin'],
  body: AssignExecutorDto,
  at: (body) => body.assignedAt,
  command: (body, at) => ({
    type: 'AssignExecutor',
    data: {
      executor: { id: body.executor.id, name: body.executor.name },
      department: body.department,
      instructions: body.instructions,
      assignedAt: at,
    },
  }),
});

// --- POST /appeals/{id}/deadline-extensions

/** The official who decided the extension (59-FZ art. 12 ч.2: the head or one he authorised). */
export class DecidedByDto extends OfficialDto {}

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
    description:
      'the decision; on or before the due date in force (else 409 term-expired, 59-FZ art. 12 ч.2)',
  })
  @IsOptional()
  @IsBusinessTime()
  extendedAt?: string;

  @ApiProperty({ type: DecidedByDto, description: 'who decided the extension (59-FZ art. 12 ч.2)' })
  @IsObject()
  @ValidateNested()
  @Type(() => DecidedByDto)
  decidedBy!: DecidedByDto;

  @ApiPropertyOptional({
    description:
      'when the applicant was notified of the extension (a date or an instant), not before registration',
  })
  @IsOptional()
  @IsBusinessTime()
  applicantNotifiedAt?: string;
}

const extendDeadline = commandRoute('ExtendDeadline', {
  path: 'deadline-extensions',
  summary: 'Extend the consideration term (by up to 30 days in total, before it expires)',
  roles: ['controller', 'admin'],
  body: ExtendDeadlineDto,
  at: (body) => body.extendedAt,
  command: (body, at) => ({
    type: 'ExtendDeadline',
    data: {
      days: body.days,
      reason: body.reason,
      extendedAt: at,
      decidedBy: { name: body.decidedBy.name, position: body.decidedBy.position },
      ...(body.applicantNotifiedAt !== undefined && { applicantNotifiedAt: body.applicantNotifiedAt }),
    },
  }),
});

// --- POST /appeals/{id}/interim-answers

export class SendInterimAnswerDto extends AnswerDocumentDto {
  @ApiPropertyOptional({ example: '2018-03-20', description: 'business time; defaults to now' })
  @IsOptional()
  @IsBusinessTime()
  sentAt?: string;

  @ApiProperty({ maxLength: 20000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  summary!: string;

  @ApiPropertyOptional({ example: '2018-04-05', description: 'when the final answer is promised' })
  @IsOptional()
  @IsCalendarDate()
  finalAnswerBy?: string;
}

const sendInterimAnswer = commandRoute('SendInterimAnswer', {
  path: 'interim-answers',
  summary: 'Send an interim answer; the appeal stays under control',
  roles: ['executor', 'admin'],
  body: SendInterimAnswerDto,
  at: (body) => body.sentAt,
  command: (body, at) => ({
    type: 'SendInterimAnswer',
    data: {
      sentAt: at,
      summary: body.summary,
      finalAnswerBy: body.finalAnswerBy,
      ...answerDocumentFields(body),
    },
  }),
});

// --- POST /appeals/{id}/final-answer

export class QuestionResultDto {
  @ApiProperty({ example: '0005.0005.0056.1149', maxLength: 50 })
  @IsString()
  @MaxLength(50)
  questionCode!: string;

  @ApiProperty({ enum: FINAL_QUESTION_RESULTS })
  @IsIn(FINAL_QUESTION_RESULTS)
  result!: FinalQuestionResult;

  @ApiPropertyOptional({ description: 'with supported: measures were taken (в т.ч. меры приняты)' })
  @IsOptional()
  @IsBoolean()
  measuresTaken?: boolean;
}

export class SendFinalAnswerDto extends AnswerDocumentDto {
  @ApiPropertyOptional({ example: '2018-03-28', description: 'business time; defaults to now' })
  @IsOptional()
  @IsBusinessTime()
  sentAt?: string;

  @ApiProperty({ maxLength: 20000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  summary!: string;

  @ApiProperty({
    type: [QuestionResultDto],
    description: 'a result for every question of the appeal',
    minItems: 1,
    maxItems: 100,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => QuestionResultDto)
  results!: QuestionResultDto[];

  @ApiPropertyOptional({ description: 'considered with an on-site visit' })
  @IsOptional()
  @IsBoolean()
  onSiteVisit?: boolean;
}

const sendFinalAnswer = commandRoute('SendFinalAnswer', {
  path: 'final-answer',
  summary: 'Send the final answer with a result for every question',
  roles: ['executor', 'admin'],
  body: SendFinalAnswerDto,
  at: (body) => body.sentAt,
  command: (body, at) => ({
    type: 'SendFinalAnswer',
    data: {
      sentAt: at,
      summary: body.summary,
      results: body.results.map((r) => ({
        questionCode: r.questionCode,
        result: r.result,
        measuresTaken: r.measuresTaken,
      })),
      onSiteVisit: body.onSiteVisit,
      ...answerDocumentFields(body),
    },
  }),
});

// --- POST /appeals/{id}/rework

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

const returnForRework = commandRoute('ReturnForRework', {
  path: 'rework',
  summary: 'Send a final answer back to the executor for rework',
  roles: ['controller', 'admin'],
  body: ReturnForReworkDto,
  at: (body) => body.returnedAt,
  command: (body, at) => ({ type: 'ReturnForRework', data: { reason: body.reason, returnedAt: at } }),
});

// --- POST /appeals/{id}/closure

export class RemoveFromControlDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBusinessTime()
  closedAt?: string;
}

const removeFromControl = commandRoute('RemoveFromControl', {
  path: 'closure',
  summary: 'Remove the appeal from control (closes it)',
  roles: ['controller', 'admin'],
  body: RemoveFromControlDto,
  at: (body) => body.closedAt,
  command: (_body, at) => ({ type: 'RemoveFromControl', data: { closedAt: at } }),
});

// --- POST /appeals/{id}/forwarding

export class ForwardAppealDto {
  @ApiProperty({ example: 'Прокуратура Кемеровской области', maxLength: 500 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  to!: string;

  @ApiPropertyOptional({ example: '2018-03-07', description: 'business time; defaults to now' })
  @IsOptional()
  @IsBusinessTime()
  sentAt?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['0003.0009.0099.0742'],
    description:
      'the questions outside the competence (59-FZ art. 8 ч.3); default every question still kept. ' +
      'Questions kept stay on control.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  questionCodes?: string[];

  @ApiPropertyOptional({
    example: '2018-03-07',
    description: 'when the applicant was notified of the forwarding (business time)',
  })
  @IsOptional()
  @IsBusinessTime()
  applicantNotifiedAt?: string;
}

const forwardByCompetence = commandRoute('ForwardByCompetence', {
  path: 'forwarding',
  summary:
    'Forward the appeal (or the listed questions) by competence (59-FZ art. 8 ч.3); the kept questions stay on control',
  roles: ['registrar', 'controller', 'admin'],
  body: ForwardAppealDto,
  at: (body) => body.sentAt,
  command: (body, at, request) => ({
    type: 'ForwardByCompetence',
    data: {
      to: body.to,
      sentAt: at,
      reference: body.reference,
      ...(body.questionCodes !== undefined && { questionCodes: body.questionCodes }),
      ...(body.applicantNotifiedAt !== undefined && {
        applicantNotifiedAt: request.businessTime(body.applicantNotifiedAt),
      }),
    },
  }),
});

// --- POST /appeals/{id}/without-answer

export class WithoutAnswerNoticeDto {
  @ApiPropertyOptional({ example: '2018-03-05', description: 'business time; defaults to now' })
  @IsOptional()
  @IsBusinessTime()
  sentAt?: string;

  @ApiProperty({ maxLength: 5000, description: 'what the applicant was told (personal data: sealed)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  text!: string;
}

export class LeaveWithoutAnswerDto {
  @ApiProperty({ enum: WITHOUT_ANSWER_GROUNDS, example: 'unclear_essence' })
  @IsIn(WITHOUT_ANSWER_GROUNDS)
  ground!: WithoutAnswerGround;

  @ApiPropertyOptional({ example: '2018-03-05', description: 'business time; defaults to now' })
  @IsOptional()
  @IsBusinessTime()
  decidedAt?: string;

  @ApiPropertyOptional({
    type: WithoutAnswerNoticeDto,
    description:
      'the notice to the applicant; required on the grounds of docs/domain.md unless the appeal is anonymous',
  })
  @IsOptional()
  @IsObject({ message: 'notice must be an object { sentAt?, text }' })
  @ValidateNested()
  @Type(() => WithoutAnswerNoticeDto)
  notice?: WithoutAnswerNoticeDto;

  @ApiPropertyOptional({
    maxLength: 2000,
    example: 'https://adm.example.ru/faq/12',
    description: 'the address of the published answer (required for answer_published)',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  link?: string;
}

const leaveWithoutAnswer = commandRoute('LeaveWithoutAnswer', {
  path: 'without-answer',
  summary: 'Leave the appeal without an answer on the merits (59-FZ art. 11)',
  roles: ['registrar', 'controller', 'admin'],
  body: LeaveWithoutAnswerDto,
  at: (body) => body.decidedAt,
  command: async (body, at, request) => ({
    type: 'LeaveWithoutAnswer',
    data: {
      ground: body.ground,
      decidedAt: at,
      ...(body.notice !== undefined && {
        notice: { sentAt: request.businessTime(body.notice.sentAt), text: body.notice.text },
      }),
      ...(body.link !== undefined && { link: body.link }),
      // art. 11 ч.5: the decider allows the ground only when a termination applies
      ...(body.ground === 'correspondence_terminated' && {
        terminations: await request.facts.terminationsFor(request.appealId),
      }),
    },
  }),
});

// --- POST /appeals/{id}/withdrawal

export class WithdrawAppealDto {
  @ApiPropertyOptional({ example: '2018-03-10', description: 'business time; defaults to now' })
  @IsOptional()
  @IsBusinessTime()
  withdrawnAt?: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  reason?: string;
}

const withdrawAppeal = commandRoute('WithdrawAppeal', {
  path: 'withdrawal',
  summary: 'Record the withdrawal of the appeal by its applicant',
  roles: ['registrar', 'admin'],
  body: WithdrawAppealDto,
  at: (body) => body.withdrawnAt,
  command: (body, at) => ({ type: 'WithdrawAppeal', data: { withdrawnAt: at, reason: body.reason } }),
});

// --- POST /appeals/{id}/document-requests, …/{rid}/reply

export class RequestDocumentsDto {
  @ApiProperty({ example: 'Управление Росреестра по Кемеровской области', maxLength: 500 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  to!: string;

  @ApiProperty({ example: '2018-03-07', description: 'business time the request was sent' })
  @IsBusinessTime()
  sentAt!: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'outgoing number of the request' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string;
}

export class RecordDocumentsReplyDto {
  @ApiProperty({ example: '2018-03-19', description: 'business time the reply was received' })
  @IsBusinessTime()
  receivedAt!: string;
}

export class DocumentRequestCreatedDto {
  @ApiProperty({ format: 'uuid' })
  requestId!: string;

  @ApiProperty({
    example: '2018-03-22',
    description: 'the body must reply by this date (15 days, 59-FZ art. 10)',
  })
  replyDueDate!: string;
}

/** Request ids derived from an Idempotency-Key live in this namespace (a retry names the same request). */
const REQUEST_ID_NAMESPACE = 'appeal-ledger/document-requests';

const requestDocuments = commandRoute('RequestDocuments', {
  path: 'document-requests',
  summary: 'Request documents from another body (it must reply within 15 days)',
  roles: ['executor', 'controller', 'admin'],
  body: RequestDocumentsDto,
  at: (body) => body.sentAt,
  command: (body, at, { appealId, idempotencyKey }) => ({
    type: 'RequestDocuments',
    data: {
      requestId: idempotencyKey
        ? deterministicEventId(REQUEST_ID_NAMESPACE, idempotencyKey, appealId)
        : randomUUID(),
      to: body.to,
      sentAt: at,
      reference: body.reference,
    },
  }),
  created: {
    type: DocumentRequestCreatedDto,
    description: 'the request; ETag carries the revision',
    answer: ({ data: { requestId } }, loaded) => {
      const request = loaded.state.context.documentRequests.find((r) => r.requestId === requestId);
      if (!request) throw new Error(`document request ${requestId} not recorded`);
      const body: DocumentRequestCreatedDto = { requestId, replyDueDate: request.replyDueDate };
      return { location: `document-requests/${requestId}`, body };
    },
  },
});

const recordDocumentsReply = commandRoute('RecordDocumentsReply', {
  path: 'document-requests/:rid/reply',
  summary: 'Record the reply to a document request',
  roles: ['executor', 'controller', 'admin'],
  body: RecordDocumentsReplyDto,
  at: (body) => body.receivedAt,
  command: (body, at, request) => ({
    type: 'RecordDocumentsReply',
    data: { requestId: request.uuidParam('rid', 'document request'), receivedAt: at },
  }),
});

// --- POST /appeals/{id}/related/confirm, …/related/reject (docs/applicant-matching.md)

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

/**
 * Issue 15: the appeal `relatedAppealId` names must exist (409 naming it) and be one the caller may
 * read (403); the decider sees one appeal, so this is checked before deciding, and nothing is stored.
 */
const relatedAppealReadable: RouteCheck<'ConfirmRelatedAppeal'> & RouteCheck<'RejectRelatedAppeal'> = {
  run: (command: CommandOf<'ConfirmRelatedAppeal' | 'RejectRelatedAppeal'>, { principal, appeals }) =>
    appeals.readable('relatedAppealId', command.data.relatedAppealId, principal),
  responses: [
    {
      status: 409,
      description: 'relatedAppealId names no appeal (problem type referenced-appeal-not-found)',
    },
    { status: 403, description: 'relatedAppealId names an appeal the caller may not read' },
  ],
};

const confirmRelatedAppeal = commandRoute('ConfirmRelatedAppeal', {
  path: 'related/confirm',
  summary: 'Confirm that the appeal is a repeat of, or a duplicate of, an earlier one',
  roles: ['registrar', 'controller', 'admin'],
  body: DecideRelationDto,
  at: (body) => body.decidedAt,
  command: (body, at) => ({
    type: 'ConfirmRelatedAppeal',
    data: { relatedAppealId: body.relatedAppealId.toLowerCase(), kind: body.kind, decidedAt: at },
  }),
  check: relatedAppealReadable,
});

const rejectRelatedAppeal = commandRoute('RejectRelatedAppeal', {
  path: 'related/reject',
  summary: 'Reject a proposed (or undo a confirmed) repeat or duplicate',
  roles: ['registrar', 'controller', 'admin'],
  body: DecideRelationDto,
  at: (body) => body.decidedAt,
  command: (body, at) => ({
    type: 'RejectRelatedAppeal',
    data: { relatedAppealId: body.relatedAppealId.toLowerCase(), kind: body.kind, decidedAt: at },
  }),
  check: relatedAppealReadable,
});

// --- the table (its order is the order of the OpenAPI document)

// --- issue 14: POST /appeals/{id}/report-to-source, /further-control, /measures-completed
// (bodies in ./control-outcomes/control-outcomes.dto.ts)

const reportToSource = commandRoute('ReportToSource', {
  path: 'report-to-source',
  summary: 'Record the report of the result to the body that sent the appeal',
  roles: ['controller', 'registrar', 'admin'],
  body: ReportToSourceDto,
  at: (body) => body.sentAt,
  command: (body, at) => ({ type: 'ReportToSource', data: { sentAt: at, reference: body.reference } }),
});

const setFurtherControl = commandRoute('SetFurtherControl', {
  path: 'further-control',
  summary: 'Keep an answered appeal on control until the measures are taken',
  roles: ['controller', 'admin'],
  body: FurtherControlDto,
  at: (body) => body.setAt,
  command: (body, at) => ({
    type: 'SetFurtherControl',
    data: { until: body.until, reason: body.reason, setAt: at },
  }),
});

const completeMeasures = commandRoute('CompleteMeasures', {
  path: 'measures-completed',
  summary: 'Record that the measures are completed (ends further control)',
  roles: ['controller', 'admin'],
  body: MeasuresCompletedDto,
  at: (body) => body.completedAt,
  command: (_body, at) => ({ type: 'CompleteMeasures', data: { completedAt: at } }),
});

// --- POST /appeals/{id}/applicant-materials (59-FZ art. 5 п.1)

export class ApplicantMaterialsDto {
  @ApiPropertyOptional({
    example: '2018-03-14',
    description: 'business time they were received; defaults to now',
  })
  @IsOptional()
  @IsBusinessTime()
  receivedAt?: string;

  @ApiProperty({
    example: 'копия договора управления, фотографии подъезда',
    maxLength: 5000,
    description: 'what the applicant presented (personal data: sealed)',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  description!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 10000, description: 'number of sheets' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  pages?: number;
}

const recordApplicantMaterials = commandRoute('RecordApplicantMaterials', {
  path: 'applicant-materials',
  summary:
    "Attach the applicant's additional documents and materials to the appeal under consideration (59-FZ art. 5 п.1)",
  roles: ['registrar', 'controller', 'executor', 'admin'],
  body: ApplicantMaterialsDto,
  at: (body) => body.receivedAt,
  command: (body, at) => ({
    type: 'RecordApplicantMaterials',
    data: {
      receivedAt: at,
      description: body.description,
      ...(body.pages !== undefined && { pages: body.pages }),
    },
  }),
});

export const COMMAND_ROUTES: CommandRoutes = {
  AssignExecutor: assignExecutor,
  ExtendDeadline: extendDeadline,
  SendInterimAnswer: sendInterimAnswer,
  SendFinalAnswer: sendFinalAnswer,
  ReturnForRework: returnForRework,
  RemoveFromControl: removeFromControl,
  ForwardByCompetence: forwardByCompetence,
  LeaveWithoutAnswer: leaveWithoutAnswer,
  WithdrawAppeal: withdrawAppeal,
  RequestDocuments: requestDocuments,
  RecordDocumentsReply: recordDocumentsReply,
  ConfirmRelatedAppeal: confirmRelatedAppeal,
  RejectRelatedAppeal: rejectRelatedAppeal,
  ReportToSource: reportToSource,
  SetFurtherControl: setFurtherControl,
  CompleteMeasures: completeMeasures,
  TerminateCorrespondence: terminateCorrespondence,
  RecordResolution: recordResolutionRoute,
  RecordContribution: recordContributionRoute,
  RecordApplicantMaterials: recordApplicantMaterials,
};
