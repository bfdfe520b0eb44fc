/** Who is calling: the verified claims of the bearer token. */
/**
 * `head`: the head of the administration (or an official he authorised) — reads everything, like a
 * supervisor, and takes no action through the engine (his decisions are recorded by the controlling
 * side with his name: extensions, resolutions, terminations; docs/access.md).
 */
export const ROLES = ['registrar', 'controller', 'executor', 'supervisor', 'head', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  id: string;
  name: string;
  roles: Role[];
  department?: string;
}

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);
