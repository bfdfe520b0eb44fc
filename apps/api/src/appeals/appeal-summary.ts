/**
 * The appeal summary of docs/api.md, rendered for one caller: applicants' personal data is opened only
 * for those the access policy lets read it — decided on the appeal's assignment now, even when the
 * summary shows a past state (docs/access.md).
 */
import { Injectable } from '@nestjs/common';
import { toAppealView, type AppealView, type Applicant } from '@appeal-ledger/appeal';
import { factsOf, mayReadAppeal } from '../access/access-policy';
import type { Principal } from '../auth/principal';
import { PersonalDataAccessLog } from '../personal-data/personal-data-access-log';
import { PersonalDataVault } from '../personal-data/personal-data.vault';
import type { LoadedAppeal } from './appeal.repository';

export type AppealSummary = Omit<AppealView, 'applicants'> & {
  applicants?: Omit<Applicant, 'applicantId'>[];
  revision: number;
  position: number;
};

export function maySeeApplicants(principal: Principal, appeal: LoadedAppeal): boolean {
  return mayReadAppeal(principal, appeal.current ?? factsOf(appeal.state), 'personal_data');
}

@Injectable()
export class AppealSummaryRenderer {
  constructor(
    private readonly vault: PersonalDataVault,
    private readonly accessLog: PersonalDataAccessLog,
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
    const summary: AppealSummary = { ...view, revision: appeal.revision, position: appeal.position };
    if (maySeeApplicants(principal, appeal)) {
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
}
