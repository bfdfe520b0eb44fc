/** What is on control: the control read model, filtered and paged. */
import type { ControlFilters } from '@appeal-ledger/projections';

export class GetControlQuery {
  constructor(
    readonly filters: ControlFilters,
    readonly minPosition?: number,
  ) {}
}
