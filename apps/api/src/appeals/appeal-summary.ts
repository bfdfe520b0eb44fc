/**
 * The appeal summary of docs/api.md, rendered for one caller: applicants' personal data is opened only
 * for registrar, controller, supervisor, admin and the assigned executor.
 */
import { Injectable } from '@nestjs/common';
import { toAppealView, type AppealView, type Applicant } from '@appeal-ledger/appeal';
import type { Principal } from '../auth/principal';
import { PersonalDataVault } from '../personal-data/personal-data.vault';
import type { LoadedAppeal } from './appeal.repository';

export type AppealSummary = Omit<AppealView, 'applicants'> & {
  applicants?: Omit<Applicant, 'applicantId'>[];
  revision: number;
  position: number;
};

const SEE_APPLICANTS = ['registrar', 'controller', 'supervisor', 'admin'] as const;

export function maySeeApplicants(principal: Principal, appeal: LoadedAppeal): boolean {
  if (principal.roles.some((r) => (SEE_APPLICANTS as readonly string[]).includes(r))) return true;
  return principal.roles.includes('executor') && appeal.state.context.executor?.id === principal.id;
}

@Injectable()
export class AppealSummaryRenderer {
  constructor(private readonly vault: PersonalDataVault) {}

  async render(appeal: LoadedAppeal, principal: Principal): Promise<AppealSummary> {
    const { applicants: _ids, ...view } = toAppealView(appeal.state);
    const summary: AppealSummary = { ...view, revision: appeal.revision, position: appeal.position };
    if (maySeeApplicants(principal, appeal)) {
      const opened = await this.vault.open(appeal.sealedApplicants);
      summary.applicants = opened.map(({ applicantId: _id, ...fields }) => fields);
    }
    return summary;
  }
}
