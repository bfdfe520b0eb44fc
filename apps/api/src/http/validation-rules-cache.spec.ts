import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsString, MaxLength, ValidateNested, getMetadataStorage } from 'class-validator';
import { createValidationPipe } from './validation';
import { memoiseValidationRules } from './validation-rules-cache';
import { Problem } from './problem';

class PartDto {
  @IsString()
  @MaxLength(5)
  code!: string;
}

class WholeDto {
  @IsString()
  name!: string;

  @ValidateNested({ each: true })
  @Type(() => PartDto)
  parts!: PartDto[];
}

const pipe = createValidationPipe({ timeZone: 'Asia/Novokuznetsk', clock: { now: () => new Date() } });
const body = (value: unknown, metatype: new () => object): Promise<unknown> =>
  pipe.transform(value, { type: 'body', metatype });

async function refusal(value: unknown, metatype: new () => object): Promise<string[]> {
  try {
    await body(value, metatype);
  } catch (error) {
    if (error instanceof Problem) return (error.extensions.errors as { field: string }[]).map((e) => e.field);
    throw error;
  }
  throw new Error('accepted');
}

describe('memoised validation rules', () => {
  it('given the pipe, then the global rule lookups are memoised: the same list for the same class', () => {
    const storage = getMetadataStorage();
    const first = storage.getTargetValidationMetadatas(WholeDto, '', false, false);
    expect(storage.getTargetValidationMetadatas(WholeDto, '', false, false)).toBe(first);
    expect(storage.groupByPropertyName(first)).toBe(storage.groupByPropertyName(first));
    memoiseValidationRules(); // a second call changes nothing
    expect(storage.getTargetValidationMetadatas(WholeDto, '', false, false)).toBe(first);
  });

  it('given memoised rules, then whitelist, forbidNonWhitelisted, nested rules and transform still hold', async () => {
    for (let i = 0; i < 3; i++) {
      const dto = await body({ name: 'a', parts: [{ code: 'ok' }] }, WholeDto);
      expect(dto).toBeInstanceOf(WholeDto);
      expect((dto as WholeDto).parts[0]).toBeInstanceOf(PartDto);
      expect(await refusal({ name: 'a', parts: [{ code: 'too long' }] }, WholeDto)).toEqual([
        'parts[0].code',
      ]);
      expect(await refusal({ name: 'a', parts: [], stray: 1 }, WholeDto)).toEqual(['stray']);
      expect(await refusal({ name: 'a', parts: [{ code: 'x', stray: 1 }] }, WholeDto)).toEqual([
        'parts[0].stray',
      ]);
    }
  });

  it('given a rule added after the rules were looked up, then it is enforced (the memo is emptied)', async () => {
    class LateDto {
      @IsString()
      name!: string;
    }
    await body({ name: 'a' }, LateDto);
    expect(await refusal({ name: 'a', count: 1 }, LateDto)).toEqual(['count']);
    IsInt()(LateDto.prototype, 'count');
    await expect(body({ name: 'a', count: 1 }, LateDto)).resolves.toBeInstanceOf(LateDto);
    expect(await refusal({ name: 'a', count: 'one' }, LateDto)).toEqual(['count']);
  });

  it('given a class extending a looked-up one, then it gets the parent rules and its own', async () => {
    await body({ name: 'a', parts: [] }, WholeDto);
    class MoreDto extends WholeDto {
      @IsInt()
      extra!: number;
    }
    await expect(body({ name: 'a', parts: [], extra: 1 }, MoreDto)).resolves.toBeInstanceOf(MoreDto);
    expect(await refusal({ name: 1, parts: [], extra: 'x' }, MoreDto)).toEqual(['extra', 'name']);
  });
});
