/** Writes a command's or read's appeal summary with its ETag (and Location for a new appeal). */
import type { Principal } from '../../auth/principal';
import type { HttpReply } from '../../http/http-types';
import type { AppealSummary, AppealSummaryRenderer } from '../appeal-summary';
import type { LoadedAppeal } from '../appeal.repository';

export async function respond(
  res: HttpReply,
  renderer: AppealSummaryRenderer,
  principal: Principal,
  outcome: { loaded: LoadedAppeal; replayed?: boolean; written?: boolean },
  status = 200,
): Promise<AppealSummary> {
  // an answer to a command that stored its event now: that event is the record of who saw what
  const summary = await renderer.render(outcome.loaded, principal, outcome.written ? 'command' : 'read');
  res.status(status);
  res.header('ETag', `"${summary.revision}"`);
  if (status === 201) res.header('Location', `/appeals/${summary.id}`);
  if (outcome.replayed) res.header('Idempotent-Replayed', 'true');
  return summary;
}
