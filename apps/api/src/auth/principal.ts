/** Who is calling: the verified claims of the bearer token. */
export const ROLES = ['registrar', 'controller', 'executor', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  id: string;
  name: string;
  roles: Role[];
  department?: string;
}

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);
