/**
 * «Регистрация»: the registration card with the contract's labels. The page's script posts it as
 * JSON to POST /appeals (the API's command) and puts the API's validation errors next to their
 * fields: every input is named by the API field path (`applicants.0.name`).
 */
import { html, type Html } from '../../shell/html';
import { CHANNEL_LABELS, KIND_LABELS, OFFICIAL_ROLE_LABELS } from '../shared/labels';
import { checkbox, formAlert, optionsOf, selectField, textArea, textField } from '../shared/widgets';

export interface RegistrationView {
  /** today in the administration's time zone, YYYY-MM-DD */
  today: string;
}

export function applicantFieldset(i: number | '__i__'): Html {
  const n = typeof i === 'number' ? String(i + 1) : '';
  return html`<fieldset class="applicant" data-repeat="applicants">
    <legend>Заявитель <span data-ordinal>${n}</span></legend>
    ${textField('ФИО заявителя', `applicants.${i}.name`, { wide: true })}
    ${textField('Адрес заявителя', `applicants.${i}.address`, { wide: true })}
    ${textField('Электронная почта', `applicants.${i}.email`, { type: 'email' })}
    ${textField('Телефон', `applicants.${i}.phone`, { type: 'tel' })}
  </fieldset>`;
}

export function questionFieldset(i: number | '__i__'): Html {
  const n = typeof i === 'number' ? String(i + 1) : '';
  return html`<fieldset class="question" data-repeat="questions">
    <legend>Вопрос <span data-ordinal>${n}</span></legend>
    ${textField('Код вопроса', `questions.${i}.code`, {
      required: true,
      list: 'classifier-options',
      hint: 'начните вводить код или слова темы',
    })}
    ${textArea('Содержание вопроса', `questions.${i}.summary`)}
  </fieldset>`;
}

export function renderRegistration(view: RegistrationView): Html {
  return html`<h1>Регистрация обращения</h1>
    <form
      class="api-form card-form"
      data-api-form
      data-method="POST"
      data-action="/appeals"
      data-on-success="open-card"
      novalidate
    >
      ${formAlert()}
      <fieldset>
        <legend>Поступление</legend>
        ${textField('Дата поступления', 'receivedAt', { type: 'date', value: view.today, required: true })}
        ${selectField('Канал поступления', 'channel', optionsOf(CHANNEL_LABELS), { value: 'written', required: true })}
        ${selectField('Вид обращения', 'kind', optionsOf(KIND_LABELS), { value: 'application', required: true })}
      </fieldset>
      <fieldset>
        <legend>Источник</legend>
        ${selectField(
          'Источник',
          'source.type',
          [
            { value: 'direct', text: 'Непосредственно от заявителя' },
            { value: 'presidential_administration', text: 'Из Администрации Президента РФ' },
            { value: 'regional_administration', text: 'Из администрации области' },
            { value: 'other_body', text: 'Из другого органа' },
          ],
          { value: 'direct' },
        )}
        <div data-show-when="source.type!=direct" class="subfields">
          ${textField('Наименование органа', 'source.name')}
          ${textField('Исходящий номер', 'source.reference')}
          ${textField('Дата сопроводительного письма', 'source.date', { type: 'date' })}
        </div>
      </fieldset>
      <div data-repeat-list="applicants">${applicantFieldset(0)}</div>
      <template id="tpl-applicants">${applicantFieldset('__i__')}</template>
      <p><button type="button" data-add="applicants">Добавить заявителя</button></p>
      <div data-repeat-list="questions">${questionFieldset(0)}</div>
      <template id="tpl-questions">${questionFieldset('__i__')}</template>
      <datalist id="classifier-options"></datalist>
      <p><button type="button" data-add="questions">Добавить вопрос</button></p>
      <fieldset>
        <legend>Содержание</legend>
        ${textField('Территория', 'territory')} ${textArea('Краткое содержание', 'summary')}
      </fieldset>
      <fieldset data-show-when="channel=personal_reception" class="reception">
        <legend>Личный приём</legend>
        ${selectField('Кто вёл приём', 'reception.officialRole', optionsOf(OFFICIAL_ROLE_LABELS), { value: 'head' })}
        ${textField('ФИО должностного лица', 'reception.officialName')}
        ${checkbox('Рассмотрено с выездом на место', 'reception.onSite')}
      </fieldset>
      <div class="actions"><button type="submit" class="primary">Зарегистрировать</button></div>
    </form>
    ${registrationResult()}`;
}

/**
 * What the registrar is told after registering, when the API's answer lists earlier appeals of the
 * same applicant on the same question (`related`, docs/applicant-matching.md): the page's script fills
 * the table from the answer, shows it in place of the form and links the new card, where the
 * registrar confirms or rejects each («Связанные обращения»). Without candidates the card opens at once.
 */
export function registrationResult(): Html {
  return html`<section
    aria-labelledby="registered-h"
    class="registration-result"
    data-registration-result
    hidden
  >
    <h2 id="registered-h" tabindex="-1">Обращение зарегистрировано: № <span data-registered-number></span></h2>
    <p role="status">
      Найдены прежние обращения того же заявителя по тому же вопросу. Решите в карточке, повторное это
      обращение или дубликат.
    </p>
    <table class="grid related">
      <thead>
        <tr>
          <th scope="col">Номер</th>
          <th scope="col">Зарегистрировано</th>
          <th scope="col">Состояние</th>
          <th scope="col">Срок</th>
          <th scope="col">Совпало</th>
          <th scope="col">Вопрос</th>
          <th scope="col">Предложено</th>
        </tr>
      </thead>
      <tbody data-related-rows></tbody>
    </table>
    <p><a class="button primary" data-registered-card href="/appeals">Открыть карточку обращения</a></p>
  </section>`;
}
