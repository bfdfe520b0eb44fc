import { safeNext } from '../pages/sign-in.page';
import { hashPassword, verifyPassword } from './password';
import { SignInThrottle } from './sign-in-throttle';

describe('passwords', () => {
  it('hashes with scrypt and a per-password salt, and verifies', async () => {
    const a = await hashPassword('correct-horse-battery');
    const b = await hashPassword('correct-horse-battery');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(a).not.toBe(b);
    await expect(verifyPassword('correct-horse-battery', a)).resolves.toBe(true);
    await expect(verifyPassword('correct-horse-batterY', a)).resolves.toBe(false);
    await expect(verifyPassword('x', 'not-a-hash')).resolves.toBe(false);
  });
});

describe('sign-in throttle', () => {
  it('lets 5 failures of a login pass, then doubles the wait from 1 s; success clears it', () => {
    const t = new SignInThrottle();
    for (let i = 0; i < 5; i++) {
      expect(t.waitMs('ivanova', '10.0.0.1', 1000)).toBe(0);
      t.failed('ivanova', '10.0.0.1', 1000);
    }
    expect(t.waitMs('ivanova', '10.0.0.2', 1000)).toBe(1000);
    t.failed('ivanova', '10.0.0.2', 2000);
    expect(t.waitMs('ivanova', '10.0.0.3', 2000)).toBe(2000);
    expect(t.waitMs('petrov', '10.0.0.3', 2000)).toBe(0);
    t.succeeded('ivanova');
    expect(t.waitMs('ivanova', '10.0.0.3', 2000)).toBe(0);
  });

  it('slows down one address trying many logins after 20 failures, and forgets after 15 minutes', () => {
    const t = new SignInThrottle();
    for (let i = 0; i < 20; i++) t.failed(`user${i}`, '10.0.0.9', 0);
    expect(t.waitMs('someone', '10.0.0.9', 0)).toBe(1000);
    expect(t.waitMs('someone', '10.0.0.9', 16 * 60_000)).toBe(0);
  });
});

describe('safeNext', () => {
  it.each(['/appeals', '/appeals/x?y=1#z', '/control'])('keeps a path of this site: %s', (p) =>
    expect(safeNext(p)).toBe(p),
  );
  it.each([
    '//evil.example',
    '/\\evil.example',
    'https://evil.example',
    'appeals',
    '/login',
    '/logout?x',
    '/a\nb',
    42,
  ])('refuses %s', (p) => expect(safeNext(p)).toBeUndefined());
});
