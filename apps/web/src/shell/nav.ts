/** The navigation: which pages each role may use (the contract's table). */
import type { Role } from '../../../api/src/auth/principal';

export interface NavLink {
  text: string;
  href: string;
  roles: readonly Role[];
}

/**
 * «Напоминания» for the controller (the organisational department's controller) and executors;
 * «Отчёты» for the controller, supervisors and the head.
 */
export const NAV_LINKS: readonly NavLink[] = [
  { text: 'Журнал', href: '/appeals', roles: ['registrar', 'controller', 'supervisor', 'head', 'admin'] },
  { text: 'Регистрация', href: '/appeals/new', roles: ['registrar'] },
  { text: 'Контроль', href: '/control', roles: ['controller', 'supervisor', 'head', 'executor'] },
  { text: 'Напоминания', href: '/reminders', roles: ['controller', 'executor'] },
  { text: 'Отчёты', href: '/reports', roles: ['controller', 'supervisor', 'head'] },
  { text: 'Администрирование', href: '/admin', roles: ['admin'] },
];

export const linksFor = (roles: readonly Role[]): NavLink[] =>
  NAV_LINKS.filter((link) => link.roles.some((r) => roles.includes(r)));

/** Roles allowed on a page path, for @Roles() on its controller. */
export function rolesOf(href: string): Role[] {
  const link = NAV_LINKS.find((l) => l.href === href);
  if (!link) throw new Error(`no navigation link for ${href}`);
  return [...link.roles];
}

/** Where a user lands after signing in: the first page their roles may use. */
export function startPageFor(roles: readonly Role[]): string {
  return linksFor(roles)[0]?.href ?? '/';
}
