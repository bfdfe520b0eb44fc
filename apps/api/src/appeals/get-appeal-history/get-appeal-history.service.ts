/** The audit history: every event with business time, recording time, actor and data (opened). */
import { Injectable } from '@nestjs/common';
import type { JsonObject } from '@appeal-ledger/event-store';
import { factsOf, mayReadAppeal } from '../../access/access-policy';
import { ok } from '../../shared/outcome';
import { forbidden, notFound, type Read } from '../../shared/read-refusal';
import { NOT_YOURS } from '../get-appeal/get-appeal.service';
import { hasFreeText, mapFreeText, SEALED_TEXT_SCHEMA_VERSION } from '../../personal-data/free-text';
import { PersonalDataAccessLog } from '../../personal-data/personal-data-access-log';
import { ERASED_TEXT, PersonalDataVault } from '../../personal-data/personal-data.vault';
import { eventReferencedIds, eventWithReadableReferences } from '../../access/appeal-references';
import { AppealReferenceFilter } from '../appeal-references.service';
import { AppealRepository, sealedApplicantsOf } from '../appeal.repository';
import type { Principal } from '../../auth/principal';

export interface HistoryEntry {
  revision: number;
  position: number;
  type: string;
  occurredAt: string;
  recordedAt: string;
  actor: { id: string; name: string };
  commandId: string;
  correlationId: string;
  data: JsonObject;
}

export interface GetAppealHistoryInput {
  appealId: string;
  /** who reads (judged on the appeal's assignment now) */
  principal: Principal;
}

@Injectable()
export class GetAppealHistory {
  constructor(
    private readonly repository: AppealRepository,
    private readonly vault: PersonalDataVault,
    private readonly accessLog: PersonalDataAccessLog,
    private readonly references: AppealReferenceFilter,
  ) {}

  /** Every event of the appeal, in order, for `principal` (judged on the appeal's assignment now). */
  async read({ appealId, principal }: GetAppealHistoryInput): Promise<Read<HistoryEntry[]>> {
    const now = await this.repository.load(appealId);
    if (!now) return notFound(`appeal ${appealId} not found`);
    if (!mayReadAppeal(principal, factsOf(now.state), 'history')) return forbidden(NOT_YOURS);
    const events = await this.repository.history(appealId);
    if (!events) return notFound(`appeal ${appealId} not found`);
    // The history opens the applicants and the free text: on record before it is shown.
    await this.accessLog.record(principal, 'history', [
      { appealId, applicants: now.sealedApplicants.length },
    ]);
    // Events recorded before free text was sealed (schema version 1) hold it in the clear: once the
    // appeal's personal data is erased, the history shows the placeholder for it too.
    const erased = events.some((e) => e.metadata.schemaVersion === 1 && hasFreeText(e.type))
      ? await this.vault.erased(appealId)
      : false;
    // other appeals are named only to those who may read them (docs/access.md)
    const readable = await this.references.readable(
      principal,
      events.flatMap((e) => eventReferencedIds(e.type, e.data)),
    );
    const entries = await Promise.all(
      events.map(async (e): Promise<HistoryEntry> => {
        let data = eventWithReadableReferences(e.type, e.data, readable);
        if (e.type === 'AppealRegistered') {
          const applicants = await this.vault.open(sealedApplicantsOf(e));
          data = { ...data, applicants: applicants as unknown as JsonObject[] };
        }
        if (e.metadata.schemaVersion === SEALED_TEXT_SCHEMA_VERSION) {
          data = await mapFreeText(e.type, data, (texts) => this.vault.openTexts(texts));
        } else if (erased) {
          data = await mapFreeText(e.type, data, (texts) => Promise.resolve(texts.map(() => ERASED_TEXT)));
        }
        return {
          revision: e.revision,
          position: e.position,
          type: e.type,
          occurredAt: e.metadata.occurredAt,
          recordedAt: e.recordedAt.toISOString(),
          actor: e.metadata.actor,
          commandId: e.metadata.commandId,
          correlationId: e.metadata.correlationId,
          data,
        };
      }),
    );
    return ok(entries);
  }
}
