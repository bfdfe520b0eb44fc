/**
 * Read your own writes across pages: the page script keeps the position of the user's last command
 * in the `al_pos` cookie, and a page that reads a read model waits for it (≤ 5 s) as it does for
 * `?minPosition=`. So the journal or the control board opened after a command already shows it,
 * however far behind the projections are.
 */
import { parseMinPosition } from '../../../../api/src/http/query-params';
import type { PageRequest } from '../../shell/page';

export const LAST_POSITION_COOKIE = 'al_pos';

/** The later of `?minPosition=` and the user's last command; a malformed cookie is ignored. */
export function pageMinPosition(req: PageRequest, raw: string | undefined): number | undefined {
  const asked = parseMinPosition(raw);
  const cookie = req.cookies?.[LAST_POSITION_COOKIE];
  const last = cookie && /^\d{1,15}$/.test(cookie) ? Number(cookie) : undefined;
  if (asked === undefined) return last;
  if (last === undefined) return asked;
  return Math.max(asked, last);
}
