/**
 * Facts derived at registration from the channel and the applicants: form, collective, anonymous,
 * and the surname initial used by registration numbers.
 */
import type { Applicant, Channel, Form } from './events/appeal.events';

/** Reports count by form: written → written, electronic → electronic, reception and phone → oral. */
export function formOf(channel: Channel): Form {
  switch (channel) {
    case 'written':
      return 'written';
    case 'electronic':
      return 'electronic';
    case 'personal_reception':
    case 'phone':
      return 'oral';
    default: {
      const unknown: never = channel;
      throw new RangeError(`unknown channel: ${String(unknown)}`);
    }
  }
}

/** Two or more applicants make a collective appeal (коллективное). */
export function isCollective(applicants: readonly Applicant[]): boolean {
  return applicants.length >= 2;
}

const present = (s: string | undefined): boolean => s !== undefined && s.trim() !== '';

/**
 * Anonymous (59-FZ art. 11): nobody the answer could go to — no applicant has both a name and a postal
 * address or e-mail. Checked per applicant so a name from one and an address from another do not count.
 */
export function isAnonymous(applicants: readonly Applicant[]): boolean {
  return !applicants.some((a) => present(a.name) && (present(a.address) || present(a.email)));
}

/** The surname of a name written "Surname I.O." (first word), or undefined. */
export function surnameOf(name: string | undefined): string | undefined {
  const first = name?.trim().split(/\s+/)[0];
  return first ? first : undefined;
}

/** The first named applicant's surname (Петров П.П. → Петров). */
export function firstApplicantSurname(applicants: readonly Applicant[]): string | undefined {
  for (const a of applicants) {
    const s = surnameOf(a.name);
    if (s) return s;
  }
  return undefined;
}
