/** The reminder feed after a position, filtered; optionally once the feed has projected `minPosition`. */
import type { ReminderFeedFilter } from '@appeal-ledger/reminders';

export class GetRemindersQuery {
  constructor(
    readonly filter: ReminderFeedFilter,
    readonly minPosition?: number,
  ) {}
}
