/**
 * «Администрирование» (/admin, admin only): the accounts (create; change name, roles, department,
 * password; disable) and the projections' status, lag and rebuild. The forms post JSON to
 * /admin/users and /admin/projections through app.js; errors appear next to their fields.
 */
import { Get, Req } from '@nestjs/common';
import { Roles } from '../../../api/src/auth/auth.decorators';
import { ROLES, type Role } from '../../../api/src/auth/principal';
import { ProjectionsService } from '../../../api/src/read-models/projections.service';
import { AccountsService } from '../accounts/accounts.service';
import { PASSWORD_MIN_LENGTH } from '../accounts/password';
import type { Account } from '../accounts/users.store';
import { formatDateTime } from '../shell/dates';
import { html, type Html } from '../shell/html';
import { rolesOf } from '../shell/nav';
import { PageController, Shell, type PageRequest } from '../shell/page';

export const ROLE_NAMES: Record<Role, string> = {
  registrar: 'Регистратор',
  controller: 'Контролёр',
  executor: 'Исполнитель',
  supervisor: 'Надзор (аппарат)',
  head: 'Руководитель',
  admin: 'Администратор',
};

function roleBoxes(prefix: string, checked: readonly Role[]): Html {
  return html`<fieldset class="roles">
    <legend>Роли</legend>
    ${ROLES.map(
      (role) =>
        html`<div class="field-inline">
          <input
            type="checkbox"
            id="${prefix}-role-${role}"
            name="roles[]"
            value="${role}"
            ${checked.includes(role) ? html` checked` : ''}
          />
          <label for="${prefix}-role-${role}">${ROLE_NAMES[role]}</label>
        </div>`,
    )}
  </fieldset>`;
}

@PageController('/admin')
export class AdminPage {
  constructor(
    private readonly shell: Shell,
    private readonly accounts: AccountsService,
    private readonly projections: ProjectionsService,
  ) {}

  @Get()
  @Roles(...rolesOf('/admin'))
  async show(@Req() req: PageRequest): Promise<Html> {
    const [users, lags] = await Promise.all([this.accounts.users.list(), this.projections.runner.lags()]);
    const projections = this.projections.status().map((s) => ({ ...s, lag: lags[s.name] ?? 0 }));
    return this.shell.page(req, {
      title: 'Администрирование',
      body: html`
        <section aria-labelledby="accounts-heading">
          <h2 id="accounts-heading">Учётные записи</h2>
          <table>
            <caption class="visually-hidden">
              Учётные записи
            </caption>
            <thead>
              <tr>
                <th scope="col">Логин</th>
                <th scope="col">ФИО</th>
                <th scope="col">Роли</th>
                <th scope="col">Подразделение</th>
                <th scope="col">Состояние</th>
                <th scope="col">Изменён</th>
                <th scope="col">Действия</th>
              </tr>
            </thead>
            <tbody>
              ${users.map((u, i) => this.accountRow(u, i))}
            </tbody>
          </table>
        </section>
        <section aria-labelledby="new-account-heading">
          <h2 id="new-account-heading">Новая учётная запись</h2>
          <form
            method="post"
            action="/admin"
            data-api="/admin/users"
            data-method="POST"
            data-success="reload"
          >
            <div class="field">
              <label for="new-login">Логин</label>
              <input id="new-login" name="login" required autocomplete="off" />
            </div>
            <div class="field">
              <label for="new-name">ФИО</label>
              <input id="new-name" name="name" required autocomplete="off" />
            </div>
            ${roleBoxes('new', [])}
            <div class="field">
              <label for="new-department">Подразделение</label>
              <input id="new-department" name="department" autocomplete="off" />
            </div>
            <div class="field">
              <label for="new-password">Пароль</label>
              <input
                id="new-password"
                name="password"
                type="password"
                required
                autocomplete="new-password"
                aria-describedby="new-password-hint"
              />
              <p id="new-password-hint" class="muted">Не короче ${PASSWORD_MIN_LENGTH} символов.</p>
            </div>
            <button type="submit" class="primary">Создать</button>
          </form>
        </section>
        <section aria-labelledby="projections-heading">
          <h2 id="projections-heading">Проекции</h2>
          <table>
            <caption class="visually-hidden">
              Проекции
            </caption>
            <thead>
              <tr>
                <th scope="col">Проекция</th>
                <th scope="col">Версия</th>
                <th scope="col">Роль экземпляра</th>
                <th scope="col">Позиция</th>
                <th scope="col">Отставание, событий</th>
                <th scope="col">Ошибка</th>
                <th scope="col">Действия</th>
              </tr>
            </thead>
            <tbody>
              ${projections.map(
                (p) =>
                  html`<tr>
                    <td>${p.name}</td>
                    <td>${p.version}</td>
                    <td>
                      ${p.role === 'active' ? 'ведущий' : 'резервный'}${p.rebuilding ? ' (перестраивается)' : ''}
                    </td>
                    <td>${p.position ?? '—'}</td>
                    <td>${p.lag}</td>
                    <td>${p.lastError ?? '—'}</td>
                    <td>
                      <form
                        method="post"
                        action="/admin"
                        data-api="/admin/projections/${encodeURIComponent(p.name)}/rebuild"
                        data-method="POST"
                        data-success="reload"
                        data-confirm="Перестроить проекцию ${p.name}?"
                      >
                        <button type="submit" aria-label="Перестроить ${p.name}">Перестроить</button>
                      </form>
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </section>
      `,
    });
  }

  private accountRow(u: Account, i: number): Html {
    const id = `user-${i}`;
    return html`<tr>
      <td>${u.login}</td>
      <td>${u.name}</td>
      <td>${u.roles.map((r) => ROLE_NAMES[r]).join(', ') || '—'}</td>
      <td>${u.department ?? '—'}</td>
      <td>${u.disabled ? 'Отключена' : 'Активна'}</td>
      <td>${formatDateTime(u.updatedAt, this.shell.timeZone)}</td>
      <td>
        <details>
          <summary>Изменить <span class="visually-hidden">${u.login}</span></summary>
          <form
            method="post"
            action="/admin"
            data-api="/admin/users/${encodeURIComponent(u.login)}"
            data-method="PATCH"
            data-success="reload"
            aria-label="Изменить учётную запись ${u.login}"
          >
            <div class="field">
              <label for="${id}-name">ФИО</label>
              <input id="${id}-name" name="name" value="${u.name}" required autocomplete="off" />
            </div>
            ${roleBoxes(id, u.roles)}
            <div class="field">
              <label for="${id}-department">Подразделение</label>
              <input
                id="${id}-department"
                name="department"
                value="${u.department ?? ''}"
                data-keep-empty
                autocomplete="off"
              />
            </div>
            <div class="field">
              <label for="${id}-password">Новый пароль</label>
              <input id="${id}-password" name="password" type="password" autocomplete="new-password" />
            </div>
            <div class="field-inline">
              <input
                type="checkbox"
                id="${id}-disabled"
                name="disabled"
                data-type="boolean"
                ${u.disabled ? html` checked` : ''}
              />
              <label for="${id}-disabled">Отключена</label>
            </div>
            <button type="submit" class="primary">Сохранить</button>
          </form>
        </details>
      </td>
    </tr>`;
  }
}
