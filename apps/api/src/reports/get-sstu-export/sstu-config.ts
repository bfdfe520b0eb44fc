/**
 * The ССТУ.РФ identifiers of the configuration (docs/sstu.md#configuration): the reporting body's own
 * (`SSTU_DEPARTMENT_ID`) and a directory from the names of bodies appeals are forwarded to, as the
 * engine records them, to theirs (`SSTU_DEPARTMENTS_FILE`, a JSON object). Read and checked once at
 * startup: a malformed value stops the engine, naming the variable.
 */
import { readFileSync } from 'node:fs';

export interface SstuConfig {
  /** the body's ССТУ identifier; without it the export is refused (409) */
  departmentId?: string;
  /** the directory's file, as configured */
  departmentsFile?: string;
  /** body name (normalised: `sstuBodyKey`) → ССТУ identifier */
  departments: ReadonlyMap<string, string>;
}

export class SstuConfigError extends Error {
  override readonly name = 'SstuConfigError';
}

/** A GUID as the portal writes them: 8-4-4-4-12 hexadecimal digits. */
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Names match without regard to case, «ё», quotes and spacing: «Прокуратура  Кемеровской области» = «прокуратура кемеровской области». */
export const sstuBodyKey = (name: string): string =>
  name
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[«»"„“”']/g, '')
    .replace(/\s+/g, ' ')
    .trim();

const optional = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
};

export function loadSstuConfig(env: NodeJS.ProcessEnv): SstuConfig {
  const departmentId = optional(env, 'SSTU_DEPARTMENT_ID');
  if (departmentId !== undefined && !GUID.test(departmentId))
    throw new SstuConfigError(
      `SSTU_DEPARTMENT_ID must be the body's ССТУ identifier, a GUID like 3f2504e0-4f89-11d3-9a0c-0305e82c3301, got "${departmentId}"`,
    );
  const departmentsFile = optional(env, 'SSTU_DEPARTMENTS_FILE');
  const departments = new Map<string, string>();
  if (departmentsFile !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(departmentsFile, 'utf8'));
    } catch (error) {
      throw new SstuConfigError(
        `SSTU_DEPARTMENTS_FILE "${departmentsFile}" is not a readable JSON file: ${(error as Error).message}`,
      );
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new SstuConfigError(
        'SSTU_DEPARTMENTS_FILE must hold a JSON object { "<body name as recorded>": "<ССТУ GUID>" }',
      );
    for (const [name, id] of Object.entries(parsed)) {
      const key = sstuBodyKey(name);
      if (key === '') throw new SstuConfigError('SSTU_DEPARTMENTS_FILE: a body name is empty');
      if (typeof id !== 'string' || !GUID.test(id.trim()))
        throw new SstuConfigError(`SSTU_DEPARTMENTS_FILE: the identifier of «${name}» is not a GUID`);
      const known = departments.get(key);
      if (known !== undefined && known !== id.trim())
        throw new SstuConfigError(
          `SSTU_DEPARTMENTS_FILE: «${name}» is listed twice with different identifiers`,
        );
      departments.set(key, id.trim());
    }
  }
  return { departmentId, departmentsFile, departments };
}
