import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../config/app-config';
import { loadSstuConfig, sstuBodyKey } from './sstu-config';

const OWN = '11111111-2222-3333-4444-555555555555';
const dir = mkdtempSync(join(tmpdir(), 'sstu-config-'));
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('ССТУ configuration', () => {
  it('is optional: without it the engine starts and the export says what to set', () => {
    expect(loadSstuConfig({})).toEqual({
      departmentId: undefined,
      departmentsFile: undefined,
      departments: new Map(),
    });
  });

  it('reads the body id and the directory, names matched without regard to case, «ё», quotes and spacing', () => {
    const path = file(
      'ok.json',
      JSON.stringify({
        'Прокуратура  Кемеровской области': 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        'ООО «Тёплый дом»': 'AAAAAAAA-1111-2222-3333-444444444444',
      }),
    );
    const config = loadSstuConfig({ SSTU_DEPARTMENT_ID: ` ${OWN} `, SSTU_DEPARTMENTS_FILE: path });
    expect(config.departmentId).toBe(OWN);
    expect(config.departments.get(sstuBodyKey('прокуратура кемеровской области'))).toBe(
      'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    );
    expect(config.departments.get(sstuBodyKey('ООО "Теплый дом"'))).toBe(
      'AAAAAAAA-1111-2222-3333-444444444444',
    );
  });

  it.each([
    [{ SSTU_DEPARTMENT_ID: 'not-a-guid' }, 'SSTU_DEPARTMENT_ID'],
    [{ SSTU_DEPARTMENTS_FILE: join(dir, 'missing.json') }, 'SSTU_DEPARTMENTS_FILE'],
    [{ SSTU_DEPARTMENTS_FILE: file('array.json', '[]') }, 'SSTU_DEPARTMENTS_FILE'],
    [{ SSTU_DEPARTMENTS_FILE: file('bad-id.json', '{"Прокуратура": "42"}') }, 'SSTU_DEPARTMENTS_FILE'],
    [{ SSTU_DEPARTMENTS_FILE: file('broken.json', '{') }, 'SSTU_DEPARTMENTS_FILE'],
  ])('refuses to start on a malformed value, naming the variable (%j)', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });
});
