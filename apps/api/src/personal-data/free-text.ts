/**
 * Free text is personal data (152-FZ): citizens write passport numbers, diagnoses and family matters
 * into summaries, answers, reasons and instructions. Which fields of which event hold it is the
 * domain's `EVENT_FREE_TEXT` (libs/appeal events: a record over the event types, so a new event does
 * not compile until it says); here they are sealed under the appeal's key when an event is stored
 * (schema version 2) and opened for readers allowed to see personal data; after erasure they read as
 * ERASED_TEXT. Reports and read models use none of them (docs/decisions/0002-personal-data-crypto-shredding.md).
 */
import { EVENT_FREE_TEXT } from '@appeal-ledger/appeal';
import type { JsonObject } from '@appeal-ledger/event-store';

/** Stored events whose free-text fields are sealed carry this metadata.schemaVersion. */
export const SEALED_TEXT_SCHEMA_VERSION = 2;

/** A free-text path parsed: `field`, `object.field` or `list[].field`. */
type TextPath =
  | { kind: 'top'; field: string }
  | { kind: 'nested'; object: string; field: string }
  | { kind: 'each'; list: string; field: string };

function parsePath(path: string): TextPath {
  const each = /^([^.[\]]+)\[\]\.([^.[\]]+)$/.exec(path);
  if (each) return { kind: 'each', list: each[1], field: each[2] };
  const nested = /^([^.[\]]+)\.([^.[\]]+)$/.exec(path);
  if (nested) return { kind: 'nested', object: nested[1], field: nested[2] };
  return { kind: 'top', field: path };
}

const PATHS: ReadonlyMap<string, readonly TextPath[]> = new Map(
  Object.entries(EVENT_FREE_TEXT as Readonly<Record<string, readonly string[]>>)
    .filter(([, paths]) => paths.length > 0)
    .map(([type, paths]) => [type, paths.map(parsePath)]),
);

const isObject = (value: unknown): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export const hasFreeText = (type: string): boolean => PATHS.has(type);

/**
 * Returns `data` with every free-text field of an event of `type` replaced by `map(text)` (all the
 * texts of one event are mapped in one call, in the order of the paths, so a key is looked up once).
 */
export async function mapFreeText(
  type: string,
  data: JsonObject,
  map: (texts: string[]) => Promise<string[]>,
): Promise<JsonObject> {
  const paths = PATHS.get(type);
  if (!paths) return data;
  const texts: string[] = [];
  // each found text, with how to put its mapped value back into `out`
  const puts: ((out: JsonObject, text: string) => void)[] = [];
  for (const path of paths) {
    if (path.kind === 'top') {
      const value = data[path.field];
      if (typeof value !== 'string') continue;
      texts.push(value);
      puts.push((out, text) => {
        out[path.field] = text;
      });
    } else if (path.kind === 'nested') {
      const inner = data[path.object];
      if (!isObject(inner) || typeof inner[path.field] !== 'string') continue;
      texts.push(inner[path.field] as string);
      puts.push((out, text) => {
        out[path.object] = { ...(out[path.object] as JsonObject), [path.field]: text };
      });
    } else {
      const list = data[path.list];
      if (!Array.isArray(list)) continue;
      list.forEach((item, i) => {
        if (!isObject(item) || typeof item[path.field] !== 'string') return;
        texts.push(item[path.field] as string);
        puts.push((out, text) => {
          const items = [...(out[path.list] as JsonObject[])];
          items[i] = { ...items[i], [path.field]: text };
          out[path.list] = items;
        });
      });
    }
  }
  if (texts.length === 0) return data;
  const mapped = await map(texts);
  const out: JsonObject = { ...data };
  puts.forEach((put, i) => put(out, mapped[i]));
  return out;
}
