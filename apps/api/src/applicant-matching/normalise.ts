/**
 * Normalisation of applicants' identifying fields for the blind index (docs/applicant-matching.md):
 * the same person written in different ways must come out as the same string. Pure functions; the
 * results are never stored, only their keyed hashes (blind-index.ts).
 */

/** Lower case, ё → е, every run of punctuation or spacing → one space, trimmed. */
function tokens(value: string): string[] {
  return value
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((t) => t !== '');
}

/**
 * Surname with initials: «Иванов Иван Иванович», «ИВАНОВ И.И.», «И. И. Иванов» and «иванов и.и.» all
 * become `иванов и и`. The surname is the first word longer than one letter unless the name starts
 * with initials (then the first full word after them); the initials are the first letters of the
 * other words, in order. Undefined when nothing is left.
 */
export function normaliseName(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const words = tokens(value).filter((t) => /^\p{L}+$/u.test(t));
  if (words.length === 0) return undefined;
  const leadingInitials = words[0].length === 1;
  const surnameAt = leadingInitials ? words.findIndex((w) => w.length > 1) : 0;
  if (surnameAt < 0) return undefined;
  const surname = words[surnameAt];
  const initials = words.filter((_, i) => i !== surnameAt).map((w) => w[0]);
  return [surname, ...initials].join(' ');
}

/** Words naming the kind of an address part: dropped, so «ул. Ленина» = «Ленина ул.» = «улица Ленина». */
const ADDRESS_TYPE_WORDS = new Set([
  'ул',
  'улица',
  'д',
  'дом',
  'кв',
  'квартира',
  'пос',
  'п',
  'поселок',
  'пгт',
  'г',
  'гор',
  'город',
  'с',
  'село',
  'дер',
  'деревня',
  'пр',
  'пр-т',
  'просп',
  'проспект',
  'пер',
  'переулок',
  'пл',
  'площадь',
  'б-р',
  'бульвар',
  'ш',
  'шоссе',
  'мкр',
  'микрорайон',
  'корп',
  'корпус',
  'к',
  'стр',
  'строение',
  'пом',
  'помещение',
  'ком',
  'комн',
  'комната',
]);

/** A part naming a region or district: the same applicant writes it or not, so it is dropped. */
const REGION_PART = /(^|\s)(обл|область|край|р-н|район|респ|республика|ао|россия|рф)(\s|$)/u;

/**
 * Postal address: case, ё/е, punctuation and spacing, the postal code, the region and district parts
 * and the kind words («ул.», «д.», «кв.», «пос.»/«п.», …) are dropped; a house letter written apart is
 * joined («5 а», «5-а» → `5а`). «653000, Кемеровская обл., пос. Каменный, ул. Ленина, д. 5, кв. 12»,
 * «п.Каменный ул.Ленина д.5 кв.12» and «Каменный п., Ленина ул., дом 5, квартира 12» all become
 * `каменный ленина 5 12`.
 */
export function normaliseAddress(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const parts = value
    .toLowerCase()
    .replace(/ё/g, 'е')
    .split(/[,;\n]/)
    .map((p) => p.replace(/\b(р)\s*-\s*(н)\b/gu, 'р-н'))
    .filter((p) => !REGION_PART.test(p.replace(/[^\p{L}\p{N}-]+/gu, ' ').trim()));
  const words = tokens(parts.join(' '))
    .filter((t) => !/^\d{6}$/.test(t)) // the postal code
    .filter((t) => !ADDRESS_TYPE_WORDS.has(t));
  const joined: string[] = [];
  for (const w of words) {
    const prev = joined[joined.length - 1];
    if (prev !== undefined && /^\d+$/.test(prev) && /^\p{L}$/u.test(w)) joined[joined.length - 1] = prev + w;
    else joined.push(w);
  }
  return joined.length ? joined.join(' ') : undefined;
}

/** E-mail: trimmed and lower case (the domain part is case-insensitive; mailboxes are in practice). */
export function normaliseEmail(value: string | undefined): string | undefined {
  const email = value?.trim().toLowerCase();
  return email && email.includes('@') ? email : undefined;
}

/**
 * Phone: digits only; a Russian number written `+7…`, `8…` or with ten digits becomes its ten digits
 * (`+7 (384-2) 12-34-56`, `8 384 212 34 56` and `3842123456` are one number); a shorter local number
 * stays as its digits. Fewer than five digits is no number.
 */
export function normalisePhone(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const digits = value.replace(/\D/g, '');
  if (digits.length === 11 && (digits[0] === '7' || digits[0] === '8')) return digits.slice(1);
  return digits.length >= 5 ? digits : undefined;
}

export const INDEX_KINDS = ['name', 'address', 'email', 'phone'] as const;
export type IndexKind = (typeof INDEX_KINDS)[number];

/** The normalised values of one applicant, by kind (absent where the field is empty or unusable). */
export function normaliseApplicant(a: {
  name?: string;
  address?: string;
  email?: string;
  phone?: string;
}): { kind: IndexKind; value: string }[] {
  const out: { kind: IndexKind; value: string }[] = [];
  const push = (kind: IndexKind, value: string | undefined) => {
    if (value !== undefined) out.push({ kind, value });
  };
  push('name', normaliseName(a.name));
  push('address', normaliseAddress(a.address));
  push('email', normaliseEmail(a.email));
  push('phone', normalisePhone(a.phone));
  return out;
}
