/**
 * The security headers' Content-Security-Policy, in a real browser (issue 12): the OpenAPI viewer
 * renders, an HTML report gets its styles, the sign-in page works — and Chromium reports no CSP
 * violation on any of them. A script injected into a report would not run.
 */
import type { Page } from 'playwright-core';
import { startWebTest, type WebTest } from '../support/browser';

/** CSP violations Chromium reports on the page (console errors and securitypolicyviolation events). */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
      violations.push(message.text());
  });
  // (browser code as text: this project's TypeScript has no DOM types)
  await page.addInitScript(
    "document.addEventListener('securitypolicyviolation', (e) => " +
      "console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI))",
  );
  return violations;
}

describe('Content-Security-Policy in a browser', () => {
  let web: WebTest;

  beforeAll(async () => {
    web = await startWebTest();
  }, 120_000);

  afterAll(async () => {
    await web?.stop();
  });

  it('the OpenAPI viewer at /docs renders without a violation', async () => {
    const page = await web.newPage();
    const violations = await watchViolations(page);
    const response = await page.goto(`${web.url}/docs`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.locator('.swagger-ui .info .title').first().waitFor({ timeout: 30_000 });
    await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
    expect(violations).toEqual([]);
  });

  it('an HTML report gets its inline styles, and no script could run in it', async () => {
    const page = await web.newPage();
    const violations = await watchViolations(page);
    await page.setExtraHTTPHeaders({ authorization: `Bearer ${web.adminToken}` });
    const response = await page.goto(`${web.url}/reports/annual?year=2018&format=html`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
    // the report's stylesheet applied: its table has collapsed borders (html.ts STYLE)
    const styled = await page.evaluate<number>('document.styleSheets.length');
    expect(styled).toBeGreaterThan(0);
    expect(violations).toEqual([]);
    // an injected script is refused by the policy
    const ran = await page.evaluate<boolean>(
      "(async () => { const s = document.createElement('script'); s.textContent = 'window.injected = true'; " +
        'document.body.appendChild(s); await new Promise((r) => setTimeout(r, 100)); return window.injected === true; })()',
    );
    expect(ran).toBe(false);
  });

  it('the sign-in page loads its script and styles without a violation', async () => {
    const page = await web.newPage();
    const violations = await watchViolations(page);
    await page.goto(`${web.url}/login`);
    await page.getByLabel(/логин/i).waitFor();
    const styled = await page.evaluate<number>('document.styleSheets.length');
    expect(styled).toBeGreaterThan(0);
    expect(violations).toEqual([]);
  });
});
