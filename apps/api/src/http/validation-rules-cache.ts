/**
 * class-validator looks up a DTO class's rules anew for every object it validates: it filters the
 * class's rules, walks every class that has rules to find its ancestors (`instanceof` each), and
 * groups the result by property — for a registration body (the DTO, its applicants and questions)
 * several times per request, ~35 µs of the engine's CPU per command (docs/benchmarks.md, session 12).
 * The rules are fixed once the DTO classes are defined, so the global storage's two lookups are
 * memoised here; a rule added later (a class defined after start-up, e.g. a mapped type) empties the
 * memo, so an answer is never older than the rules. The memoised lists are shared: class-validator
 * and the ValidationPipe only read them.
 */
import { getMetadataStorage, type MetadataStorage } from 'class-validator';

type Lookup = MetadataStorage['getTargetValidationMetadatas'];
type Grouping = MetadataStorage['groupByPropertyName'];
type Rules = ReturnType<Lookup>;

const MEMOISED = Symbol('appeal-ledger:memoised-validation-rules');

/** Memoises the rule lookups of `storage` (class-validator's global one by default); idempotent. */
export function memoiseValidationRules(storage: MetadataStorage = getMetadataStorage()): void {
  const marked = storage as MetadataStorage & { [MEMOISED]?: true };
  if (marked[MEMOISED]) return;
  marked[MEMOISED] = true;
  const lookup: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  const group: Grouping = storage.groupByPropertyName.bind(storage);
  const addRule = storage.addValidationMetadata.bind(storage);
  const addConstraint = storage.addConstraintMetadata.bind(storage);
  /** target → options key → rules (lookups with groups are not memoised: the engine validates none) */
  let rules = new Map<unknown, Map<string, Rules>>();
  /** the grouping of each list memoised above (of those lists only: another caller's may change) */
  let grouped = new WeakMap<Rules, ReturnType<Grouping> | undefined>();
  const forget = (): void => {
    rules = new Map();
    grouped = new WeakMap();
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    if (groups !== undefined && groups.length > 0)
      return lookup(target, schema, always, strictGroups, groups);
    const key = `${schema}\u0000${always}\u0000${strictGroups}`;
    let byOptions = rules.get(target);
    if (!byOptions) rules.set(target, (byOptions = new Map<string, Rules>()));
    let found = byOptions.get(key);
    if (!found) {
      found = lookup(target, schema, always, strictGroups, groups);
      byOptions.set(key, found);
      grouped.set(found, undefined);
    }
    return found;
  };
  storage.groupByPropertyName = (metadata) => {
    if (!grouped.has(metadata)) return group(metadata);
    let found = grouped.get(metadata);
    if (!found) grouped.set(metadata, (found = group(metadata)));
    return found;
  };
  storage.addValidationMetadata = (metadata) => {
    forget();
    addRule(metadata);
  };
  storage.addConstraintMetadata = (metadata) => {
    forget();
    addConstraint(metadata);
  };
}
