/**
 * Deterministic event ids (UUID version 5, SHA-1 based, RFC 9562): the same command retried yields
 * the same ids, so the store recognises the retry and writes nothing new.
 */
import { createHash } from 'node:crypto';

/** A UUID in its canonical text form (any version, either case). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Namespace of Appeal Ledger's ids, for namespaces given as plain strings (e.g. an Idempotency-Key). */
export const APPEAL_LEDGER_ID_NAMESPACE = '14187d67-9062-4080-bbd4-2e7bcdfa936b';

/** A standard UUID v5 of `name` (UTF-8) in the UUID `namespace`. */
export function uuidV5(name: string, namespace: string): string {
  if (!UUID_PATTERN.test(namespace)) throw new Error(`UUID v5 namespace must be a UUID, got "${namespace}"`);
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = (hash[6] & 0x0f) | 0x50; // version 5
  hash[8] = (hash[8] & 0x3f) | 0x80; // RFC variant
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * An event id derived from a namespace (a command id or Idempotency-Key; any string, a UUID is used
 * as is) and parts such as the stream id and the event's index in the append:
 * `deterministicEventId(commandId, streamId, String(index))`. Parts are encoded unambiguously,
 * so ('a-b', 'c') and ('a', 'b-c') differ.
 */
export function deterministicEventId(namespace: string, ...parts: string[]): string {
  return uuidV5(JSON.stringify(parts), namespaceId(namespace));
}

/**
 * The UUIDs of namespaces given as plain strings, most recent last. Every command derives its event
 * ids in one of a few constant namespaces ('appeal-ledger/events', …): deriving the namespace again
 * at every call was half of the hashing. Bounded, since a caller may use an Idempotency-Key as one.
 */
const namedNamespaces = new Map<string, string>();
const NAMED_NAMESPACES_KEPT = 64;

function namespaceId(namespace: string): string {
  if (UUID_PATTERN.test(namespace)) return namespace;
  const known = namedNamespaces.get(namespace);
  if (known !== undefined) return known;
  const id = uuidV5(namespace, APPEAL_LEDGER_ID_NAMESPACE);
  if (namedNamespaces.size >= NAMED_NAMESPACES_KEPT)
    namedNamespaces.delete(namedNamespaces.keys().next().value as string);
  namedNamespaces.set(namespace, id);
  return id;
}
