/** The page shell: every page is this document around its own <main>. */
import type { Principal } from '../../../api/src/auth/principal';
import { ACTION_WORDS } from '../pages/shared/appeal-words';
import { STATE_LABELS } from '../pages/shared/labels';
import { assetUrl } from './assets';
import { html, type Html } from './html';
import { linksFor } from './nav';

/** The actions' words for pages.js (a 409's «Сейчас можно: …»), from the one table of them. */
const ACTION_WORDS_JSON = JSON.stringify(
  Object.fromEntries(Object.entries(ACTION_WORDS).map(([action, { words }]) => [action, words])),
);
/** The states in words for the script's «обращение в состоянии «…»» (labels.ts, a record over the states). */
const STATE_WORDS_JSON = JSON.stringify(
  Object.fromEntries(Object.entries(STATE_LABELS).map(([state, label]) => [state, label.toLowerCase()])),
);

export interface PageContext {
  /** the signed-in user; absent on the sign-in page */
  principal?: Principal;
  /** the session's CSRF token, for forms and the JS that posts them */
  csrfToken?: string;
  /** the public path of this page (for the current link in the navigation) */
  path: string;
  /** APPEALS_TIMEZONE */
  timeZone: string;
}

export interface PageContent {
  /** the document title and the page's <h1> */
  title: string;
  body: Html;
  /** no <h1> from the layout (the page renders its own) */
  ownHeading?: boolean;
}

const isCurrent = (href: string, path: string): boolean =>
  href === path || (href === '/appeals' && /^\/appeals\/[0-9a-f-]{36}$/i.test(path));

/** The reminders link carries a live count (filled by app.js from the SSE feed). */
const REMINDERS_BADGE = html`<span class="badge" data-reminders-count hidden></span>`;

function navLink(link: { href: string; text: string }, path: string): Html {
  const current = isCurrent(link.href, path) ? html` aria-current="page"` : '';
  const badge = link.href === '/reminders' ? REMINDERS_BADGE : '';
  return html`<a href="${link.href}" ${current}>${link.text}${badge}</a>`;
}

function navigation(ctx: PageContext): Html {
  const principal = ctx.principal;
  if (!principal) return html``;
  const links = linksFor(principal.roles);
  return html`<nav class="site-nav" aria-label="Основная навигация">
    <ul>
      ${links.map((l) => html`<li>${navLink(l, ctx.path)}</li>`)}
    </ul>
    <div class="user">
      <span class="user-name">${principal.name}</span>
      <form method="post" action="/logout" class="logout">
        <input type="hidden" name="_csrf" value="${ctx.csrfToken ?? ''}" />
        <button type="submit">Выйти</button>
      </form>
    </div>
  </nav>`;
}

/** The whole document for a page. */
export function layout(ctx: PageContext, page: PageContent): Html {
  return html`<!doctype html>
    <html lang="ru" data-time-zone="${ctx.timeZone}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        ${ctx.csrfToken ? html`<meta name="csrf-token" content="${ctx.csrfToken}" />` : ''}
        <meta name="action-words" content="${ACTION_WORDS_JSON}" />
        <meta name="state-words" content="${STATE_WORDS_JSON}" />
        <title>${page.title} — Обращения граждан</title>
        <link rel="stylesheet" href="${assetUrl('app.css')}" />
        <link rel="stylesheet" href="${assetUrl('pages.css')}" />
        <script src="${assetUrl('app.js')}" defer></script>
        <script src="${assetUrl('pages.js')}" defer></script>
      </head>
      <body>
        <a class="skip-link" href="#main">Перейти к содержанию</a>
        <header class="site-header">
          <a class="brand" href="/">Обращения граждан</a>
          ${navigation(ctx)}
        </header>
        <main id="main" tabindex="-1">
          ${page.ownHeading ? '' : html`<h1>${page.title}</h1>`} ${page.body}
        </main>
      </body>
    </html>`;
}
