/**
 * The appeal summary of docs/api.md, rendered for one caller: applicants' personal data and the free
 * text the summary carries (the further control's reason) are opened only for those the access policy
 * lets read them — decided on the appeal's assignment now, even when the summary shows a past state or
 * repeats a command's first outcome (docs/access.md); other appeals are named only when the caller may
 * read them (access/appeal-references.ts).
 */
import { Injectable } from '@nestjs/common';
import {
  toAppealView,
  type AnsweredWithOriginalFacts,
  type AppealView,
  type Applicant,
  type FurtherControlState,
} from '@appeal-ledger/appeal';
import { factsOf, mayReadAppeal } from '../access/access-policy';
import type { Principal } from '../auth/principal';
import { PersonalDataAccessLog } from '../personal-data/personal-data-access-log';
import { ERASED_TEXT, isSealedText, PersonalDataVault } from '../personal-data/personal-data.vault';
import { AppealReferenceFilter } from './appeal-references.service';
import type { LoadedAppeal } from './appeal.repository';

type OriginalRef = 'originalAppealId' | 'originalNumber';

export type AppealSummary = Omit<AppealView, 'applicants' | 'answeredWithOriginal'> & {
  applicants?: Omit<Applicant, 'applicantId'>[];
  /** without the original's id and number when the caller may not read the original (docs/access.md) */
  answeredWithOriginal:
    | (Omit<AnsweredWithOriginalFacts, OriginalRef> & Partial<Pick<AnsweredWithOriginalFacts, OriginalRef>>)
    | null;
  revision: number;
  position: number;
};

/** What a free-text field reads as for a caller who may not read the appeal's personal data. */
export const WITHHELD_TEXT = '[скрыто]';

export function maySeeApplicants(principal: Principal, appeal: LoadedAppeal): boolean {
  return mayReadAppeal(principal, appeal.current ?? factsOf(appeal.state), 'personal_data');
}

@Injectable()
export class AppealSummaryRenderer {
  constructor(
    private readonly vault: PersonalDataVault,
    private readonly accessLog: PersonalDataAccessLog,
    private readonly references: AppealReferenceFilter,
  ) {}

  /**
   * `answering: 'command'` — the summary answers a command that just stored its event: the reading's
   * row is written just after the answer (the event is the record until then).
   */
  async render(
    appeal: LoadedAppeal,
    principal: Principal,
    answering: 'read' | 'command' = 'read',
  ): Promise<AppealSummary> {
    const { applicants: _ids, ...view } = toAppealView(appeal.state);
    const personal = maySeeApplicants(principal, appeal);
    const summary: AppealSummary = await this.references.summary(principal, {
      ...view,
      furtherControl: await this.furtherControl(view.id, view.furtherControl, personal),
      revision: appeal.revision,
      position: appeal.position,
    });
    if (personal) {
      const opened = await this.vault.open(appeal.sealedApplicants);
      const decrypted = appeal.sealedApplicants.filter((a) => a.sealed !== undefined).length;
      // A reading is shown only once it is on record (152-FZ accountability).
      if (decrypted > 0)
        await this.accessLog.record(
          principal,
          'appeal',
          [{ appealId: view.id, applicants: decrypted }],
          answering === 'command' ? 'after-answer' : 'before-answer',
        );
      summary.applicants = opened.map(({ applicantId: _id, ...fields }) => fields);
    }
    return summary;
  }

  /**
   * The further control with its reason (free text, sealed since FurtherControlSet is sealed) opened
   * for a caller allowed to read personal data; `[данные удалены]` after erasure — also a reason
   * stored in plain text before it was sealed.
   */
  private async furtherControl(
    appealId: string,
    further: FurtherControlState | null,
    personal: boolean,
  ): Promise<FurtherControlState | null> {
    if (!further) return further;
    if (!personal) return { ...further, reason: WITHHELD_TEXT };
    if (isSealedText(further.reason)) {
      const [reason] = await this.vault.openTexts([further.reason]);
      return { ...further, reason };
    }
    return (await this.vault.erased(appealId)) ? { ...further, reason: ERASED_TEXT } : further;
  }
}
