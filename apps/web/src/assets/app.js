// Appeal Ledger: the one script of the web application (no build step, no dependencies).
// Pages work without it; with it, forms marked data-api post JSON to the API with the session's
// CSRF token and show problem+json errors next to their fields, and the reminder feed runs live.
(function () {
  'use strict';

  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrfToken = csrfMeta ? csrfMeta.getAttribute('content') : '';

  // Field paths: "applicants[0].fullName" → { applicants: [{ fullName: … }] }.
  function setPath(target, path, value) {
    var keys = [];
    path.replace(/[^.[\]]+/g, function (k) {
      keys.push(/^\d+$/.test(k) ? Number(k) : k);
      return k;
    });
    var node = target;
    for (var i = 0; i < keys.length - 1; i++) {
      var key = keys[i];
      if (node[key] === undefined) node[key] = typeof keys[i + 1] === 'number' ? [] : {};
      node = node[key];
    }
    node[keys[keys.length - 1]] = value;
  }

  function convert(el, value) {
    var type = el.getAttribute('data-type');
    if (type === 'number') return value === '' ? undefined : Number(value);
    if (type === 'boolean') return el.type === 'checkbox' ? el.checked : value === 'true';
    if (type === 'list')
      return value
        .split(',')
        .map(function (s) {
          return s.trim();
        })
        .filter(Boolean);
    return value;
  }

  // The JSON body of a form: named, enabled controls; empty text left out unless data-keep-empty;
  // names ending in [] collect checked boxes / selected options into arrays.
  function formJson(form) {
    var body = {};
    var arrays = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.name === '_csrf' || el.hasAttribute('data-skip')) return;
      if (el.type === 'submit' || el.type === 'button' || el.type === 'reset') return;
      var name = el.name;
      if (name.slice(-2) === '[]') {
        var key = name.slice(0, -2);
        arrays[key] = arrays[key] || [];
        if (el.type === 'checkbox' || el.type === 'radio') {
          if (el.checked) arrays[key].push(convert(el, el.value));
        } else if (el.multiple) {
          Array.prototype.forEach.call(el.selectedOptions, function (o) {
            arrays[key].push(o.value);
          });
        } else if (el.value !== '') arrays[key].push(convert(el, el.value));
        return;
      }
      if (el.type === 'checkbox' && el.getAttribute('data-type') === 'boolean') {
        setPath(body, name, el.checked);
        return;
      }
      if ((el.type === 'checkbox' || el.type === 'radio') && !el.checked) return;
      if (el.value === '' && !el.hasAttribute('data-keep-empty')) return;
      var value = convert(el, el.value);
      if (value !== undefined) setPath(body, name, value);
    });
    Object.keys(arrays).forEach(function (k) {
      setPath(body, k, arrays[k]);
    });
    return body;
  }

  function clearErrors(form) {
    Array.prototype.forEach.call(form.querySelectorAll('.field-error[data-generated]'), function (n) {
      n.remove();
    });
    Array.prototype.forEach.call(form.querySelectorAll('[aria-invalid="true"]'), function (n) {
      n.removeAttribute('aria-invalid');
      var ids = (n.getAttribute('aria-describedby') || '').split(' ').filter(function (id) {
        return id.indexOf('err-') !== 0;
      });
      if (ids.length) n.setAttribute('aria-describedby', ids.join(' '));
      else n.removeAttribute('aria-describedby');
    });
    var summary = form.querySelector('[data-form-error]');
    if (summary) {
      summary.textContent = '';
      summary.hidden = true;
    }
  }

  function summaryOf(form) {
    var summary = form.querySelector('[data-form-error]');
    if (!summary) {
      summary = document.createElement('div');
      summary.className = 'form-error';
      summary.setAttribute('data-form-error', '');
      summary.setAttribute('role', 'alert');
      form.insertBefore(summary, form.firstChild);
    }
    summary.hidden = false;
    return summary;
  }

  function controlFor(form, field) {
    var candidates = form.querySelectorAll('[name], [data-field]');
    for (var i = 0; i < candidates.length; i++) {
      var el = candidates[i];
      var name = el.getAttribute('data-field') || (el.getAttribute('name') || '').replace(/\[\]$/, '');
      if (name === field) return el;
    }
    return null;
  }

  var STATUS_TEXT = {
    400: 'Проверьте заполнение полей.',
    401: 'Сеанс завершён. Войдите снова.',
    403: 'Недостаточно прав для этого действия.',
    404: 'Не найдено.',
    409: 'Действие сейчас невозможно.',
    412: 'Обращение уже изменил другой пользователь. Обновите страницу, чтобы увидеть изменения.',
    429: 'Слишком много запросов. Повторите позже.',
  };

  var errorSeq = 0;
  // Shows a problem+json answer: each errors[] entry next to its field, the detail on top.
  function showProblem(form, status, problem) {
    var summary = summaryOf(form);
    var text = STATUS_TEXT[status] || 'Не удалось выполнить запрос.';
    summary.textContent = '';
    var p = document.createElement('p');
    p.textContent = text + (problem && problem.detail && status !== 412 ? ' ' + problem.detail : '');
    summary.appendChild(p);
    if (status === 412) {
      var reload = document.createElement('button');
      reload.type = 'button';
      reload.textContent = 'Обновить страницу';
      reload.addEventListener('click', function () {
        location.reload();
      });
      summary.appendChild(reload);
    }
    var first = null;
    ((problem && problem.errors) || []).forEach(function (e) {
      var el = controlFor(form, e.field);
      if (!el) return;
      var msg = document.createElement('p');
      msg.className = 'field-error';
      msg.id = 'err-' + ++errorSeq;
      msg.setAttribute('data-generated', '');
      msg.textContent = e.message;
      el.setAttribute('aria-invalid', 'true');
      el.setAttribute(
        'aria-describedby',
        ((el.getAttribute('aria-describedby') || '') + ' ' + msg.id).trim(),
      );
      el.insertAdjacentElement('afterend', msg);
      first = first || el;
    });
    (first || summary).focus && (first || summary.setAttribute('tabindex', '-1') || summary).focus();
  }

  function fill(template, data) {
    return template.replace(/\{(\w+)\}/g, function (_, k) {
      return data && data[k] !== undefined ? encodeURIComponent(String(data[k])) : '';
    });
  }

  // Posts JSON with the session's CSRF token; resolves { status, body }.
  function sendJson(method, url, body, headers) {
    // Russian field errors (apps/api/src/http/field-words.ts), whatever the browser's languages are
    var h = {
      'content-type': 'application/json',
      accept: 'application/json',
      'accept-language': 'ru',
      'x-csrf-token': csrfToken,
    };
    Object.keys(headers || {}).forEach(function (k) {
      h[k] = headers[k];
    });
    return fetch(url, {
      method: method,
      headers: h,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (res) {
      return res.text().then(function (text) {
        var parsed = null;
        try {
          parsed = text ? JSON.parse(text) : null;
        } catch (e) {
          parsed = null;
        }
        return { status: res.status, body: parsed, headers: res.headers };
      });
    });
  }

  // <form data-api="/admin/users" data-method="POST" data-success="reload|redirect:/appeals/{id}"
  //       data-if-match="3">
  function enhance(form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var question = form.getAttribute('data-confirm');
      if (question && !window.confirm(question)) return;
      clearErrors(form);
      var buttons = form.querySelectorAll('button, input[type="submit"]');
      Array.prototype.forEach.call(buttons, function (b) {
        b.disabled = true;
      });
      var headers = {};
      var ifMatch = form.getAttribute('data-if-match');
      if (ifMatch) headers['if-match'] = ifMatch;
      var url = form.getAttribute('data-api');
      var method = (form.getAttribute('data-method') || 'POST').toUpperCase();
      sendJson(method, url, formJson(form), headers)
        .then(function (res) {
          if (res.status >= 200 && res.status < 300) {
            form.dispatchEvent(new CustomEvent('al:success', { detail: res, bubbles: true }));
            var success = form.getAttribute('data-success') || 'reload';
            if (success.indexOf('redirect:') === 0) location.assign(fill(success.slice(9), res.body));
            else if (success === 'reload') location.reload();
            return;
          }
          if (res.status === 401) {
            location.assign('/login?next=' + encodeURIComponent(location.pathname + location.search));
            return;
          }
          showProblem(form, res.status, res.body);
        })
        .catch(function () {
          showProblem(form, 0, { detail: 'Нет связи с сервером.' });
        })
        .then(function () {
          Array.prototype.forEach.call(buttons, function (b) {
            b.disabled = false;
          });
        });
    });
  }

  // The reminder feed: a count in the navigation, and an `al:reminder` event on document for pages.
  function reminderFeed() {
    var badge = document.querySelector('[data-reminders-count]');
    if (!badge || typeof EventSource === 'undefined') return;
    var count = 0;
    var since = badge.getAttribute('data-since');
    var source = new EventSource('/reminders/stream' + (since ? '?since=' + encodeURIComponent(since) : ''));
    var onReminder = function (event) {
      var data = null;
      try {
        data = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      count++;
      badge.textContent = String(count);
      badge.hidden = false;
      badge.setAttribute('aria-label', 'новых: ' + count);
      document.dispatchEvent(new CustomEvent('al:reminder', { detail: data }));
    };
    ['message', 'due_soon', 'due_today', 'overdue', 'report_back_soon', 'report_back_overdue'].forEach(
      function (kind) {
        source.addEventListener(kind, onReminder);
      },
    );
    window.addEventListener('pagehide', function () {
      source.close();
    });
  }

  window.AppealLedger = {
    sendJson: sendJson,
    formJson: formJson,
    showProblem: showProblem,
    clearErrors: clearErrors,
  };

  document.addEventListener('DOMContentLoaded', function () {
    Array.prototype.forEach.call(document.querySelectorAll('form[data-api]'), enhance);
    reminderFeed();
  });
})();
