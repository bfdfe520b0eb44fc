// Behaviour of the work pages (journal, registration, card, reminders, reports): forms posted as JSON
// to the API with the session's CSRF token, the API's errors shown next to their fields, repeatable
// applicants and questions, the classifier picker, the live reminder feed. No framework, no build.
(function () {
  'use strict';

  // From the page: the one table of the actions' words (apps/web/src/pages/shared/appeal-words.ts)
  // and of the states' (pages/shared/labels.ts STATE_LABELS, lower case).
  function wordsFromPage(name) {
    var meta = document.querySelector('meta[name="' + name + '"]');
    try {
      return meta ? JSON.parse(meta.getAttribute('content')) : {};
    } catch (e) {
      return {};
    }
  }
  var STATE_WORDS = wordsFromPage('state-words');
  var ACTION_WORDS = wordsFromPage('action-words');

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : '';
  }

  function isShown(el, form) {
    for (var node = el; node && node !== form; node = node.parentElement) {
      if (node.hidden) return false;
    }
    return true;
  }

  // `applicants.0.name` → body.applicants[0].name; empty fields are left out.
  function setPath(target, path, value) {
    var keys = path.split('.');
    var node = target;
    for (var i = 0; i < keys.length - 1; i++) {
      var key = /^\d+$/.test(keys[i]) ? Number(keys[i]) : keys[i];
      if (node[key] === undefined) node[key] = /^\d+$/.test(keys[i + 1]) ? [] : {};
      node = node[key];
    }
    var last = keys[keys.length - 1];
    node[/^\d+$/.test(last) ? Number(last) : last] = value;
  }

  function compact(value) {
    if (Array.isArray(value)) {
      var items = value
        .filter(function (v) {
          return v !== undefined;
        })
        .map(compact);
      return items.filter(function (v) {
        return !(v && typeof v === 'object' && Object.keys(v).length === 0);
      });
    }
    if (value && typeof value === 'object') {
      Object.keys(value).forEach(function (k) {
        value[k] = compact(value[k]);
      });
    }
    return value;
  }

  function formBody(form) {
    var body = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.type === 'submit' || el.type === 'button' || !isShown(el, form))
        return;
      if (el.hasAttribute('data-in-path')) return; // it names the resource: actionUrl puts it in the path
      var type = el.getAttribute('data-type');
      var value;
      if (el.type === 'checkbox') value = el.checked;
      else if (el.value.trim() === '') return;
      else if (type === 'number') value = Number(el.value);
      else if (type === 'json') value = JSON.parse(el.value);
      else value = el.value.trim();
      setPath(body, el.name, value);
    });
    return compact(body);
  }

  // `/appeals/1/document-requests/{requestId}/reply`: a `{name}` is the value of the form's field of
  // that name (marked data-in-path, left out of the body).
  function actionUrl(form) {
    return form.getAttribute('data-action').replace(/\{([\w.]+)\}/g, function (_m, name) {
      var field = form.querySelector('[name="' + CSS.escape(name) + '"]');
      return encodeURIComponent(field ? field.value : '');
    });
  }

  // The API words its field errors in Russian for us (Accept-Language: ru; the one table is
  // apps/api/src/http/field-words.ts). A missing value is «Заполните поле.», said once per field.
  var FILL_IN = 'Заполните поле.';
  function fieldWords(_field, message) {
    return String(message);
  }

  // A control outcome's 409 (the API's `conflict`), in words.
  var CONFLICT_WORDS = {
    report_back_not_requested: 'Не сохранено: направивший орган не просил сообщить ему результат.',
    already_reported_to_source: 'Не сохранено: результат уже сообщён направившему органу.',
    report_to_source_pending:
      'Не снято с контроля: направивший орган просил сообщить ему результат, а он ещё не сообщён. Сначала «Сообщить результат направившему органу».',
    further_control_active:
      'Не сохранено: обращение на дополнительном контроле, пока меры не приняты. Сначала «Отметить принятие мер».',
    no_further_control: 'Не сохранено: обращение не на дополнительном контроле.',
  };

  function clearErrors(form) {
    form.querySelectorAll('[data-error-for]').forEach(function (slot) {
      slot.textContent = '';
    });
    form.querySelectorAll('[aria-invalid]').forEach(function (el) {
      el.removeAttribute('aria-invalid');
    });
    var alert = form.querySelector('[data-form-alert]');
    if (alert) {
      alert.hidden = true;
      alert.textContent = '';
    }
  }

  function showAlert(form, text, withReload) {
    var alert = form.querySelector('[data-form-alert]');
    if (!alert) {
      window.alert(text);
      return;
    }
    alert.textContent = text;
    if (withReload) {
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = 'Обновить';
      button.addEventListener('click', function () {
        window.location.reload();
      });
      alert.appendChild(document.createTextNode(' '));
      alert.appendChild(button);
    }
    alert.hidden = false;
    alert.focus && alert.setAttribute('tabindex', '-1');
    alert.focus();
  }

  // The API names fields by path (`applicants.0.name`); the inputs carry the same names. A field
  // without its own slot (an array as a whole, say) reports at the nearest slot whose name starts with it.
  function showFieldErrors(form, errors, detail) {
    var unplaced = [];
    var first = null;
    // A missing value breaks every rule of its field (not empty, a string, not too long): say it once.
    var missing = {};
    errors.forEach(function (e) {
      if (fieldWords(e.field, e.message) === FILL_IN) missing[e.field] = true;
    });
    var said = {};
    errors = errors.filter(function (e) {
      var key = e.field + '\u0000' + fieldWords(e.field, e.message);
      if (said[key] || (missing[e.field] && fieldWords(e.field, e.message) !== FILL_IN)) return false;
      said[key] = true;
      return true;
    });
    errors.forEach(function (e) {
      var field = String(e.field || '').replace(/\[(\d+)\]/g, '.$1');
      var slot = form.querySelector('[data-error-for="' + CSS.escape(field) + '"]');
      if (!slot) {
        var prefix = form.querySelector('[data-error-for^="' + CSS.escape(field + '.') + '"]');
        slot = prefix;
      }
      if (!slot) {
        unplaced.push(fieldWords(e.field, e.message));
        return;
      }
      var words = fieldWords(e.field, e.message);
      slot.textContent = slot.textContent ? slot.textContent + '; ' + words : words;
      var input = form.querySelector('[name="' + CSS.escape(slot.getAttribute('data-error-for')) + '"]');
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        if (!first) first = input;
      }
    });
    // the server's detail names the fields by their labels («Код вопроса: …»)
    if (unplaced.length > 0) showAlert(form, 'Проверьте данные: ' + (detail || unplaced.join('; ')));
    else showAlert(form, 'Проверьте выделенные поля.');
    if (first) first.focus();
  }

  // A 409 in words: why, and what is allowed now (the API's English detail is not shown).
  function refusalText(problem, form) {
    if (Array.isArray(problem.problems)) return terminationText(problem, form);
    if (problem.conflict && CONFLICT_WORDS[problem.conflict]) return CONFLICT_WORDS[problem.conflict];
    if (problem.type && /document-request-answered$/.test(problem.type))
      return 'Не сохранено: ответ на этот запрос уже записан.';
    if (problem.limit !== undefined && problem.totalExtensionDays !== undefined) {
      var left = Math.max(0, problem.limit - problem.totalExtensionDays);
      return (
        'Срок не продлён: все продления обращения вместе — не более ' +
        problem.limit +
        ' дн., уже продлено на ' +
        problem.totalExtensionDays +
        ' дн., запрошено ' +
        problem.requestedDays +
        ' дн. ' +
        (left > 0 ? 'Можно продлить ещё не более чем на ' + left + ' дн.' : 'Продлить срок больше нельзя.')
      );
    }
    if (problem.type && /term-expired$/.test(problem.type) && problem.dueDate) {
      var d = String(problem.dueDate).split('-');
      return (
        'Срок не продлён: срок рассмотрения истёк ' +
        d[2] +
        '.' +
        d[1] +
        '.' +
        d[0] +
        '. Продлить можно только до его истечения (ч. 2 ст. 12 59-ФЗ).'
      );
    }
    if (problem.state) {
      var state = STATE_WORDS[problem.state] || problem.state;
      var allowed = (problem.allowedActions || [])
        .filter(function (a) {
          return a !== 'issue_reminder';
        })
        .map(function (a) {
          return ACTION_WORDS[a] || a;
        });
      return (
        'Действие не выполнено: обращение в состоянии «' +
        state +
        '». ' +
        (allowed.length > 0
          ? 'Сейчас можно: ' + allowed.join(', ') + '.'
          : 'Сейчас с ним ничего сделать нельзя.')
      );
    }
    return 'Действие не выполнено: обращение уже изменилось. Обновите карточку.';
  }

  // Termination of correspondence (59-FZ art. 11 ч.5): each problem of the 409, in words. An appeal is
  // named as its option in the form says it (number and date), else by its id.
  var TERMINATION_HEADS = {
    earlier_appeals: 'Переписка не прекращена (ч. 5 ст. 11 59-ФЗ): ',
    already_terminated: 'Переписка по этому обращению уже прекращена: ',
    not_terminated: 'Оставить без ответа по этому основанию нельзя: ',
  };
  function terminationText(problem, form) {
    var appeal = function (id) {
      var option = form && form.querySelector('option[value="' + CSS.escape(String(id)) + '"]');
      return 'обращение ' + (option ? option.textContent.trim() : String(id));
    };
    var day = function (value) {
      var d = String(value).slice(0, 10).split('-');
      return d.length === 3 ? d[2] + '.' + d[1] + '.' + d[0] : String(value);
    };
    var words = problem.problems.map(function (p) {
      var codes = (p.questionCodes || []).join(', ');
      switch (p.kind) {
        case 'not_found':
          return appeal(p.appealId) + ' не найдено';
        case 'other_applicant':
          return appeal(p.appealId) + ' — другого заявителя';
        case 'not_earlier':
          return appeal(p.appealId) + ' зарегистрировано не раньше этого';
        case 'not_answered_on_merits':
          return (
            'по ' +
            appeal(p.appealId).replace(/^обращение/, 'обращению') +
            ' нет ответа по существу на вопрос ' +
            codes
          );
        case 'too_few_answers':
          return (
            'по вопросу ' +
            p.questionCode +
            ' ответов по существу ' +
            p.answered +
            ', нужно не менее ' +
            p.needed
          );
        case 'already_terminated':
          return 'решение от ' + day(p.decidedAt) + ' по вопросам ' + codes;
        case 'no_termination':
          return 'переписка с заявителем по вопросам обращения не прекращалась';
        case 'questions_not_terminated':
          return 'по вопросам ' + codes + ' переписка не прекращена — на них нужно ответить';
        default:
          return String(p.kind);
      }
    });
    return (TERMINATION_HEADS[problem.conflict] || 'Не сохранено: ') + words.join('; ') + '.';
  }

  function submitApiForm(form) {
    clearErrors(form);
    if (form.querySelector('[name="confirm"]') && !form.querySelector('[name="confirm"]').checked) {
      showAlert(form, 'Отметьте «Подтверждаю удаление».');
      return;
    }
    var method = form.getAttribute('data-method') || 'POST';
    var headers = { accept: 'application/json', 'accept-language': 'ru', 'x-csrf-token': csrfToken() };
    var body;
    if (form.getAttribute('data-body') !== 'none') {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(formBody(form));
    }
    var ifMatch = form.getAttribute('data-if-match');
    if (ifMatch) headers['if-match'] = '"' + ifMatch + '"';
    var submit = form.querySelector('[type="submit"]');
    if (submit) submit.disabled = true;
    fetch(actionUrl(form), {
      method: method,
      headers: headers,
      body: body,
      credentials: 'same-origin',
    })
      .then(function (res) {
        return res.text().then(function (text) {
          var data = null;
          try {
            data = text ? JSON.parse(text) : null;
          } catch (e) {
            data = null;
          }
          return { status: res.status, ok: res.ok, data: data };
        });
      })
      .then(function (r) {
        if (submit) submit.disabled = false;
        if (r.ok) {
          var position = r.data && r.data.position !== undefined ? r.data.position : '';
          // Pages that read a read model wait for the user's last command (read-your-writes.ts).
          if (position !== '') document.cookie = 'al_pos=' + position + '; path=/; SameSite=Strict';
          var id = (r.data && r.data.id) || '';
          // A registration with earlier appeals of the same applicant: the registrar sees them first.
          if (
            form.getAttribute('data-on-success') === 'open-card' &&
            id &&
            showCandidates(form, r.data, position)
          )
            return;
          var target =
            form.getAttribute('data-on-success') === 'open-card' && id
              ? '/appeals/' + encodeURIComponent(id)
              : window.location.pathname;
          window.location.assign(target + (position !== '' ? '?minPosition=' + position : ''));
          return;
        }
        var p = r.data || {};
        if (r.status === 400 && Array.isArray(p.errors)) showFieldErrors(form, p.errors, p.detail);
        else if (r.status === 412)
          showAlert(
            form,
            'Обращение изменил кто-то другой, пока форма была открыта. Обновите карточку и повторите.',
            true,
          );
        else if (r.status === 409 && p.expectedRevision !== undefined)
          showAlert(form, 'Обращение только что изменилось. Обновите карточку и повторите.', true);
        else if (r.status === 409) showAlert(form, refusalText(p, form));
        else if (r.status === 403)
          showAlert(form, 'Недостаточно прав: ' + (p.detail || 'действие не разрешено вашей роли') + '.');
        else if (r.status === 401) showAlert(form, 'Сеанс завершён. Войдите снова.');
        else if (r.status === 429 && p.retryAfterSeconds)
          showAlert(
            form,
            'Не сохранено: слишком много запросов. Повторите через ' + p.retryAfterSeconds + ' с.',
          );
        else showAlert(form, 'Не удалось сохранить' + (p.detail ? ': ' + p.detail : '') + '.');
      })
      .catch(function () {
        if (submit) submit.disabled = false;
        showAlert(form, 'Нет связи с сервером. Повторите попытку.');
      });
  }

  // After a registration: the earlier appeals the API found (registration.page.ts, registrationResult).
  var MATCH_WORDS = { name: 'ФИО', address: 'адрес', email: 'e-mail', phone: 'телефон' };
  function ruDay(date) {
    var d = String(date || '').split('-');
    return d.length === 3 ? d[2] + '.' + d[1] + '.' + d[0] : '—';
  }
  function showCandidates(form, appeal, position) {
    var related = appeal && Array.isArray(appeal.related) ? appeal.related : [];
    var result = document.querySelector('[data-registration-result]');
    if (related.length === 0 || !result) return false;
    var card =
      '/appeals/' + encodeURIComponent(appeal.id) + (position !== '' ? '?minPosition=' + position : '');
    result.querySelector('[data-registered-number]').textContent = appeal.number;
    var link = result.querySelector('[data-registered-card]');
    link.setAttribute('href', card);
    link.textContent = 'Открыть карточку обращения № ' + appeal.number;
    var rows = result.querySelector('[data-related-rows]');
    rows.textContent = '';
    related.forEach(function (r) {
      var tr = document.createElement('tr');
      var number = document.createElement('td');
      var a = document.createElement('a');
      a.setAttribute('href', '/appeals/' + encodeURIComponent(r.appealId));
      a.textContent = r.number;
      number.appendChild(a);
      tr.appendChild(number);
      [
        ruDay(r.registeredOn),
        (STATE_WORDS[r.state] || r.state) + (r.resolvedOn ? ' (ответ ' + ruDay(r.resolvedOn) + ')' : ''),
        ruDay(r.dueDate),
        (r.matchedBy || [])
          .map(function (k) {
            return MATCH_WORDS[k] || k;
          })
          .join(', '),
        r.sameQuestion === 'code' ? 'тот же вопрос' : 'та же тема',
        r.proposed === 'repeat' ? 'повторное' : 'дубликат',
      ].forEach(function (text) {
        var td = document.createElement('td');
        td.textContent = text;
        tr.appendChild(td);
      });
      rows.appendChild(tr);
    });
    form.hidden = true;
    result.hidden = false;
    var heading = result.querySelector('h2');
    if (heading) heading.focus();
    return true;
  }

  // Repeatable fieldsets: «Добавить заявителя», «Добавить вопрос».
  function addRepeat(name) {
    var list = document.querySelector('[data-repeat-list="' + name + '"]');
    var template = document.getElementById('tpl-' + name);
    if (!list || !template) return;
    var index = list.querySelectorAll('[data-repeat="' + name + '"]').length;
    var markup = template.innerHTML.split('__i__').join(String(index));
    var holder = document.createElement('div');
    holder.innerHTML = markup;
    var fieldset = holder.firstElementChild;
    var ordinal = fieldset.querySelector('[data-ordinal]');
    if (ordinal) ordinal.textContent = String(index + 1);
    list.appendChild(fieldset);
    var first = fieldset.querySelector('input, select, textarea');
    if (first) first.focus();
  }

  // data-show-when="channel=personal_reception" or "source.type!=direct"
  function applyShowWhen(root) {
    root.querySelectorAll('[data-show-when]').forEach(function (block) {
      var rule = block.getAttribute('data-show-when');
      var m = /^([\w.]+)(!?=)(.*)$/.exec(rule);
      if (!m) return;
      var form = block.closest('form');
      var input = form && form.querySelector('[name="' + CSS.escape(m[1]) + '"]');
      if (!input) return;
      var equal = input.value === m[3];
      block.hidden = m[2] === '=' ? !equal : equal;
    });
  }

  // The classifier picker: a datalist filled from GET /classifier?q= as the person types.
  var classifierTimer = null;
  function searchClassifier(input) {
    var list = document.getElementById(input.getAttribute('list'));
    var q = input.value.trim();
    if (!list || q.length < 2) return;
    clearTimeout(classifierTimer);
    classifierTimer = setTimeout(function () {
      fetch('/classifier?q=' + encodeURIComponent(q), {
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      })
        .then(function (res) {
          return res.ok ? res.json() : [];
        })
        .then(function (entries) {
          list.innerHTML = '';
          entries.forEach(function (e) {
            var option = document.createElement('option');
            option.value = e.code;
            option.label = e.code + ' — ' + e.title;
            option.textContent = e.code + ' — ' + e.title;
            list.appendChild(option);
          });
        })
        .catch(function () {
          /* the code can still be typed */
        });
    }, 150);
  }

  // The card's actions: the chosen action's form (from its <template>) goes into the one slot.
  function openForm(button) {
    var slot = document.getElementById('action-form');
    var template = document.getElementById('tpl-form-' + button.getAttribute('data-open-form'));
    if (!slot || !template) return;
    var wasOpen = button.getAttribute('aria-expanded') === 'true';
    document.querySelectorAll('[data-open-form]').forEach(function (b) {
      b.setAttribute('aria-expanded', 'false');
    });
    slot.innerHTML = '';
    if (wasOpen) return;
    slot.appendChild(template.content.cloneNode(true));
    button.setAttribute('aria-expanded', 'true');
    applyShowWhen(slot);
    var first = slot.querySelector('input:not([type=hidden]), select, textarea');
    if (first) first.focus();
  }

  function closeForm() {
    var slot = document.getElementById('action-form');
    if (slot) slot.innerHTML = '';
    var opener = document.querySelector('[data-open-form][aria-expanded="true"]');
    if (opener) {
      opener.setAttribute('aria-expanded', 'false');
      opener.focus();
    }
  }

  // «Напоминания»: live from the SSE feed; the count in the navigation grows with each new one.
  function bumpNavCount() {
    document.querySelectorAll('[data-reminder-count]').forEach(function (badge) {
      var n = Number(badge.getAttribute('data-count') || badge.textContent || 0) + 1;
      badge.setAttribute('data-count', String(n));
      badge.textContent = String(n);
      badge.hidden = false;
    });
  }

  var KIND_WORDS = {
    due_soon: 'Срок подходит',
    due_today: 'Срок истекает сегодня',
    overdue: 'Срок нарушен',
    report_back_soon: 'Подходит срок доклада направившему органу',
    report_back_overdue: 'Доклад направившему органу просрочен',
  };
  function ruDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || '');
    return m ? m[3] + '.' + m[2] + '.' + m[1] : '—';
  }
  function ruDateTime(instant) {
    var d = new Date(instant);
    if (isNaN(d.getTime())) return instant;
    var tz = document.documentElement.getAttribute('data-time-zone') || undefined;
    var parts = {};
    new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .forEach(function (p) {
        parts[p.type] = p.value;
      });
    return parts.day + '.' + parts.month + '.' + parts.year + ' ' + parts.hour + ':' + parts.minute;
  }
  function cell(text, href) {
    var td = document.createElement('td');
    if (href) {
      var a = document.createElement('a');
      a.href = href;
      a.textContent = text;
      td.appendChild(a);
    } else td.textContent = text;
    return td;
  }
  function startReminderFeed(table) {
    if (!window.EventSource) return;
    var rows = table.querySelector('[data-reminder-rows]');
    var status = document.querySelector('[data-live-status]');
    var url =
      table.getAttribute('data-stream') +
      '?since=' +
      encodeURIComponent(table.getAttribute('data-since') || '0');
    var source = new EventSource(url, { withCredentials: true });
    source.onopen = function () {
      table.setAttribute('data-live', 'open');
      if (status) status.textContent = 'Подключено: новые напоминания появляются здесь сами.';
    };
    source.onerror = function () {
      if (status) status.textContent = 'Связь прервалась, переподключение…';
    };
    ['due_soon', 'due_today', 'overdue', 'report_back_soon', 'report_back_overdue'].forEach(function (kind) {
      source.addEventListener(kind, function (e) {
        var r;
        try {
          r = JSON.parse(e.data);
        } catch (err) {
          return;
        }
        if (rows.querySelector('[data-position="' + r.position + '"]')) return;
        var empty = rows.querySelector('[data-empty]');
        if (empty) empty.remove();
        var tr = document.createElement('tr');
        tr.className = 'reminder-' + r.kind + ' fresh';
        tr.setAttribute('data-position', String(r.position));
        tr.appendChild(cell(ruDateTime(r.issuedAt)));
        tr.appendChild(cell(KIND_WORDS[r.kind] || r.kind));
        tr.appendChild(cell(r.number, '/appeals/' + encodeURIComponent(r.appealId)));
        tr.appendChild(cell(ruDate(r.dueDate)));
        tr.appendChild(cell(r.department || '—'));
        tr.appendChild(cell(r.executor ? r.executor.name : '—'));
        rows.insertBefore(tr, rows.firstChild);
        bumpNavCount();
        if (status)
          status.textContent =
            'Новое напоминание: ' + r.number + ' — ' + (KIND_WORDS[r.kind] || r.kind) + '.';
      });
    });
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (form && form.hasAttribute && form.hasAttribute('data-api-form')) {
      event.preventDefault();
      submitApiForm(form);
    }
  });

  document.addEventListener('click', function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var add = target.closest('[data-add]');
    if (add) {
      addRepeat(add.getAttribute('data-add'));
      return;
    }
    var open = target.closest('[data-open-form]');
    if (open) {
      openForm(open);
      return;
    }
    if (target.closest('[data-close-form]')) {
      closeForm();
      return;
    }
    if (target.closest('[data-print]')) window.print();
  });

  // Escape closes the open action form and gives the focus back to its button.
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    var slot = document.getElementById('action-form');
    if (slot && slot.firstChild && slot.contains(document.activeElement)) {
      event.preventDefault();
      closeForm();
    }
  });

  document.addEventListener('input', function (event) {
    var target = event.target;
    if (target instanceof HTMLInputElement && target.getAttribute('list') === 'classifier-options')
      searchClassifier(target);
  });

  document.addEventListener('change', function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    applyShowWhen(document);
    if (target.hasAttribute('data-fills-department')) {
      var option = target.options[target.selectedIndex];
      var department = option && option.getAttribute('data-department');
      var field = target.form && target.form.querySelector('[name="department"]');
      if (field && department) field.value = department;
    }
  });

  function init() {
    applyShowWhen(document);
    var feed = document.querySelector('[data-reminders]');
    if (feed) startReminderFeed(feed);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
