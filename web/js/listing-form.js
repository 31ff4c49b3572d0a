// `/post` (new listing) and `/listings/{id}/edit`: the listing form. The server validates; its
// 422 answer names each bad field, and each message is shown beside its field.

import { t, label, lang, trlLabel, fieldError, CITIES, CLUSTERS, COOPERATION } from '../i18n.js';
import { h, replace, ymd } from './dom.js';
import { api, getToken, ensureToken, errorText } from './api.js';
import { navigate, recordPath, withLang } from './router.js';
import { pageTitle, setTitle, tokenPanel, showBanner, clearBanner, loading, notice, errorBlock } from './ui.js';

/** Fields the server sets, and display-only fields of a fetched record. */
const DROP = ['id', 'owner', 'created_at', 'updated_at', 'last_confirmed_at', 'seq', 'collection', 'display_name', 'localized', 'name'];

export async function render(ctx) {
  const main = ctx.main;
  const editing = ctx.route.name === 'edit';
  main.dataset.page = editing ? 'edit' : 'post';
  const title = t(editing ? 'form.title_edit' : 'form.title_new');
  setTitle(title);
  const shell = h('div', { class: 'container page form-page' });
  replace(main, shell);

  if (!editing) {
    replace(shell, pageTitle(title), h('p', { class: 'lead' }, t('form.intro')),
      h('div', { class: 'form-layout' },
        h('div', { class: 'form-main' }, listingForm(null)),
        h('aside', { class: 'form-side' }, tokenPanel(() => clearBanner()))));
    return;
  }

  const id = ctx.route.id;
  replace(shell, pageTitle(title), loading(t('form.loading_listing')));
  const token = getToken();
  const path = `/api/listings/${encodeURIComponent(id)}`;
  let rec;
  let tokenInvalid = false;
  try {
    try {
      rec = await api(path, { token: token || undefined });
    } catch (e) {
      if (e.status !== 401 || !token) throw e;
      tokenInvalid = true;
      rec = await api(path);
    }
  } catch (e) {
    if (!ctx.isCurrent()) return;
    if (e.status === 404) {
      replace(shell, pageTitle(t('notfound.title')), h('p', t('notfound.text', { id, c: label('collections', 'listings') })),
        h('p', h('a', { href: withLang('/') }, t('notfound.back'))));
      return;
    }
    replace(shell, pageTitle(title), errorBlock(e, () => navigate(location.pathname + location.search, { replace: true })));
    return;
  }
  if (!ctx.isCurrent()) return;
  const name = rec.title || rec.name || id;
  setTitle(title, name);
  const side = h('aside', { class: 'form-side' },
    tokenPanel(() => navigate(location.pathname + location.search, { replace: true, keepScroll: true, focus: 'token-save' })));
  const back = h('p', { class: 'back-link' }, h('a', { href: recordPath('listings', id) }, `← ${name}`));
  if (rec.status === 'withdrawn') {
    replace(shell, pageTitle(title), back, notice('warning', t('form.withdrawn')));
    return;
  }
  replace(shell, pageTitle(title), back, h('p', { class: 'lead' }, t('form.intro')),
    h('div', { class: 'form-layout' }, h('div', { class: 'form-main' }, listingForm(rec)), side));
  if (tokenInvalid) showBanner('error', t('error.401'));
  else if (!token) showBanner('warning', t('error.401'));
  else {
    // Is this token the owner's? (The interest list answers 403 to anyone else.)
    try {
      await api(`/api/listings/${encodeURIComponent(id)}/interest`, { token: true });
    } catch (e) {
      if (e.status === 403 || e.status === 401) showBanner('error', errorText(e));
    }
  }
}

/** The form; `rec` is the listing being edited (null for a new one). */
// What was typed, kept for this tab (sessionStorage) until it is saved: a language switch
// re-renders the page, and back/forward returns to it, without losing a word.
const draftKey = (rec) => `gba.draft:${rec ? rec.id : 'new'}`;

function readDraft(rec) {
  try {
    const raw = window.sessionStorage.getItem(draftKey(rec));
    return raw ? JSON.parse(raw) : null;
  } catch { return null; }
}

function writeDraft(rec, body) {
  try { window.sessionStorage.setItem(draftKey(rec), JSON.stringify(body)); } catch { /* private mode or full */ }
}

function dropDraft(rec) {
  try { window.sessionStorage.removeItem(draftKey(rec)); } catch { /* private mode */ }
}

function listingForm(rec) {
  const editing = !!rec;
  const draft = readDraft(rec);
  const v = draft ? { ...(rec || {}), ...draft } : rec || {};
  const errors = {}; // api field -> {el, inputs}
  const optional = h('span', { class: 'optional' }, t('form.optional'));
  const req = () => h('abbr', { class: 'req', title: t('form.required') }, '*');

  function errorEl(field) {
    const el = h('p', { class: 'field-error', 'data-field': field, id: `err-${field}`, hidden: true });
    errors[field] = { el, inputs: [] };
    return el;
  }
  function register(field, ...inputs) {
    errors[field].inputs.push(...inputs);
  }
  function describe(input, hintId) {
    input.dataset.hint = hintId || '';
    if (hintId) input.setAttribute('aria-describedby', hintId);
  }

  // Kind.
  const kindRadios = ['supply', 'demand'].map((k) => h('input', { type: 'radio', name: 'kind', value: k, id: `kind-${k}`, checked: v.kind === k }));
  const kindSet = h('fieldset', { class: 'field fieldset' },
    h('legend', { class: 'label' }, t('form.kind'), ' ', req()),
    h('div', { class: 'choice-row' }, kindRadios.map((r) => h('label', { class: `choice choice-${r.value}`, for: r.id }, r, ' ', t(`form.kind_${r.value}`)))),
    errorEl('kind'));
  register('kind', ...kindRadios);

  // Text fields.
  const textField = (name, labelKey, opts = {}) => {
    const id = `f-${name}`;
    const hintId = opts.hint ? `hint-${name}` : null;
    const input = opts.multiline
      ? h('textarea', { id, name, rows: opts.rows || '5', class: 'input', lang: opts.lang || null })
      : h('input', { id, name, type: opts.type || 'text', class: 'input', autocomplete: opts.autocomplete || 'off', lang: opts.lang || null, inputmode: opts.inputmode || null });
    if (opts.value !== undefined && opts.value !== null) input.value = String(opts.value);
    describe(input, hintId);
    const errField = name;
    const field = h('div', { class: 'field' },
      h('label', { for: id, class: 'label' }, t(labelKey), opts.required ? [' ', req()] : opts.optional ? optional.cloneNode(true) : null),
      opts.hint ? h('p', { class: 'hint', id: hintId }, opts.hint) : null,
      input,
      errorEl(errField));
    register(errField, input);
    return { field, input };
  };

  const title = textField('title', 'form.title', { required: true, value: v.title || v.name });
  errors.name = errors.title;
  const nameEn = textField('name_en', 'form.name_en', { optional: true, value: v.name_en, lang: 'en' });
  const description = textField('description', 'form.description', { required: true, multiline: true, rows: '7', hint: t('form.description_hint'), value: v.description });
  const counter = h('p', { class: 'hint counter', 'aria-hidden': 'true' });
  const updateCounter = () => { counter.textContent = `${[...description.input.value.trim()].length} / 30+`; };
  description.input.addEventListener('input', updateCounter);
  description.field.appendChild(counter);
  updateCounter();
  const descriptionEn = textField('description_en', 'form.description_en', { optional: true, multiline: true, rows: '4', value: v.description_en, lang: 'en' });

  // Checkbox groups.
  const checkGroup = (name, table, selected, labelKey, hint, required) => {
    const hintId = hint ? `hint-${name}` : null;
    const boxes = Object.keys(table).map((code) => {
      const box = h('input', { type: 'checkbox', name, value: code, id: `f-${name}-${code}`, checked: (selected || []).includes(code) });
      describe(box, hintId);
      return box;
    });
    const set = h('fieldset', { class: 'field fieldset' },
      h('legend', { class: 'label' }, t(labelKey), required ? [' ', req()] : null),
      hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
      h('ul', { class: 'check-grid' }, boxes.map((b) => h('li', h('label', { for: b.id, class: 'check' }, b, ' ', label(name, b.value))))),
      errorEl(name));
    register(name, ...boxes);
    return set;
  };
  const clusters = checkGroup('clusters', CLUSTERS, v.clusters, 'form.clusters', t('form.clusters_hint'), true);
  const fields = textField('fields', 'form.fields', { hint: t('form.fields_hint'), value: Array.isArray(v.fields) ? v.fields.join(', ') : v.fields });
  const cooperation = checkGroup('cooperation', COOPERATION, v.cooperation, 'form.cooperation', null, true);

  // TRL.
  const trl = h('select', { id: 'f-trl', name: 'trl', class: 'select' },
    h('option', { value: '' }, t('form.trl_none')),
    [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => h('option', { value: String(n), selected: v.trl === n }, `TRL ${n} — ${trlLabel(n)}`)));
  const trlField = h('div', { class: 'field' }, h('label', { for: 'f-trl', class: 'label' }, t('form.trl'), optional.cloneNode(true)), trl, errorEl('trl'));
  register('trl', trl);

  // Budget.
  const b = v.budget_cny && typeof v.budget_cny === 'object' ? v.budget_cny : {};
  const bmin = h('input', { id: 'f-budget-min', name: 'budget_min', type: 'number', min: '0', step: 'any', inputmode: 'decimal', class: 'input' });
  const bmax = h('input', { id: 'f-budget-max', name: 'budget_max', type: 'number', min: '0', step: 'any', inputmode: 'decimal', class: 'input' });
  if (typeof b.min === 'number') bmin.value = String(b.min);
  if (typeof b.max === 'number') bmax.value = String(b.max);
  const budget = h('fieldset', { class: 'field fieldset' },
    h('legend', { class: 'label' }, t('form.budget'), optional.cloneNode(true)),
    h('div', { class: 'two-up' },
      h('div', h('label', { for: 'f-budget-min', class: 'sublabel' }, t('form.budget_min')), bmin),
      h('div', h('label', { for: 'f-budget-max', class: 'sublabel' }, t('form.budget_max')), bmax)),
    errorEl('budget_cny'));
  register('budget_cny', bmin, bmax);

  // City.
  const city = h('select', { id: 'f-city', name: 'city', class: 'select' },
    h('option', { value: '' }, t('form.city_default')),
    Object.keys(CITIES).map((c) => h('option', { value: c, selected: v.city === c }, label('city', c))));
  const cityField = h('div', { class: 'field' }, h('label', { for: 'f-city', class: 'label' }, t('form.city'), optional.cloneNode(true)), city, errorEl('city'));
  register('city', city);

  // Expiry.
  const expires = textField('expires_at', 'form.expires_at', { type: 'date', optional: true, hint: t('form.expires_hint'), value: v.expires_at ? ymd(v.expires_at) : '' });

  // Contact.
  const c = v.contact && typeof v.contact === 'object' ? v.contact : {};
  const contactHint = 'hint-contact';
  const cInputs = [
    ['contact_name', 'form.contact_name', 'text', 'name', c.name],
    ['contact_email', 'form.contact_email', 'email', 'email', c.email],
    ['contact_phone', 'form.contact_phone', 'tel', 'tel', c.phone],
  ].map(([name, key, type, ac, val]) => {
    const input = h('input', { id: `f-${name}`, name, type, class: 'input', autocomplete: ac });
    if (val) input.value = String(val);
    describe(input, contactHint);
    return [h('div', { class: 'field-inline' }, h('label', { for: `f-${name}`, class: 'sublabel' }, t(key)), input), input];
  });
  const contact = h('fieldset', { class: 'field fieldset' },
    h('legend', { class: 'label' }, t('form.contact'), optional.cloneNode(true)),
    h('p', { class: 'hint', id: contactHint }, t('form.contact_hint')),
    h('div', { class: 'contact-grid' }, cInputs.map(([wrap]) => wrap)),
    errorEl('contact'));
  register('contact', ...cInputs.map(([, input]) => input));

  // More details.
  const ip = textField('ip_status', 'form.ip_status', { optional: true, value: v.ip_status });
  const benefit = textField('benefit', 'form.benefit', { optional: true, multiline: true, rows: '3', value: v.benefit });
  const more = h('details', { class: 'more-fields', open: !!(v.ip_status || v.benefit) }, h('summary', t('form.more')), ip.field, benefit.field);

  // Status (edit only).
  let statusSel = null;
  let statusField = null;
  if (editing) {
    statusSel = h('select', { id: 'f-status', name: 'status', class: 'select' },
      ['open', 'closed'].map((s) => h('option', { value: s, selected: (v.status || 'open') === s }, t(`status.${s}`))));
    statusField = h('div', { class: 'field' }, h('label', { for: 'f-status', class: 'label' }, t('form.status')), statusSel, errorEl('status'));
    register('status', statusSel);
  }

  const message = h('div', { id: 'form-message', class: 'form-message', tabindex: '-1' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-large' }, t(editing ? 'form.submit_edit' : 'form.submit_new'));
  const cancel = h('a', { class: 'btn btn-secondary btn-large', href: editing ? recordPath('listings', rec.id) : withLang('/board') }, t('form.cancel'));

  const form = h('form', { id: 'listing-form', class: 'listing-form', novalidate: true },
    message,
    kindSet, title.field, nameEn.field, description.field, descriptionEn.field,
    clusters, fields.field, cooperation,
    h('div', { class: 'row-2' }, trlField, cityField),
    budget, expires.field, contact, more, statusField,
    h('div', { class: 'form-actions' }, submit, cancel));

  function clearErrors() {
    for (const { el, inputs } of Object.values(errors)) {
      el.hidden = true;
      replace(el);
      for (const input of inputs) {
        input.removeAttribute('aria-invalid');
        if (input.dataset.hint) input.setAttribute('aria-describedby', input.dataset.hint);
        else input.removeAttribute('aria-describedby');
        const f = input.closest('.field');
        if (f) f.classList.remove('has-error');
      }
    }
    replace(message);
  }

  function showFieldErrors(list) {
    const unknown = [];
    const summary = [];
    let first = null;
    for (const f of list) {
      const slot = errors[f.field];
      if (!slot) { unknown.push(f); continue; }
      const local = lang() !== 'en' ? fieldError(f.field) : null;
      const apiMsg = h('span', { class: 'api-message', lang: 'en' }, f.message);
      if (!slot.el.hidden) slot.el.appendChild(h('br'));
      // One language at a time: the page's own words, the API's English only on the English page
      // (or for a field the page has no words for).
      slot.el.append(local || apiMsg);
      slot.el.hidden = false;
      for (const input of slot.inputs) {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', [input.dataset.hint, slot.el.id].filter(Boolean).join(' '));
        const fieldBox = input.closest('.field');
        if (fieldBox) fieldBox.classList.add('has-error');
      }
      if (!first) first = slot.inputs[0];
      const target = slot.inputs[0];
      summary.push(h('li', h('a', { href: `#${target.id}`, onclick: (ev) => { ev.preventDefault(); target.focus(); } },
        `${fieldName(f.field)}${t('colon')}${local || f.message}`)));
    }
    for (const f of unknown) summary.push(h('li', `${f.field}: ${f.message}`));
    replace(message, h('div', { class: 'notice notice-error', role: 'alert' },
      h('p', h('strong', list.length === 1 ? t('form.invalid_one') : t('form.invalid', { n: list.length }))),
      h('ul', { class: 'error-summary' }, summary)));
    message.focus();
    return first;
  }

  function collect() {
    const body = {};
    if (rec) {
      for (const [k, val] of Object.entries(rec)) if (!DROP.includes(k)) body[k] = val;
    }
    const set = (k, val) => { if (val === null || val === undefined || val === '' || (Array.isArray(val) && !val.length)) delete body[k]; else body[k] = val; };
    const checked = (inputs) => inputs.filter((i) => i.checked).map((i) => i.value);
    set('kind', (kindRadios.find((r) => r.checked) || {}).value);
    body.title = title.input.value.trim();
    set('name_en', nameEn.input.value.trim());
    body.description = description.input.value.trim();
    set('description_en', descriptionEn.input.value.trim());
    set('clusters', checked(errors.clusters.inputs));
    set('fields', fields.input.value.split(/[,，、;；\n]/).map((x) => x.trim()).filter(Boolean));
    set('cooperation', checked(errors.cooperation.inputs));
    set('trl', trl.value ? parseInt(trl.value, 10) : null);
    const num = (input) => {
      const raw = input.value.trim();
      if (!raw) return undefined;
      const n = Number(raw);
      return Number.isFinite(n) ? n : raw;
    };
    const lo = num(bmin);
    const hi = num(bmax);
    if (lo === undefined && hi === undefined) {
      // An edit that leaves the budget empty drops it; an unreadable number (the browser gives '')
      // is caught below.
      if (bmin.validity.badInput || bmax.validity.badInput) body.budget_cny = { min: 'invalid' };
      else delete body.budget_cny;
    } else {
      const bc = {};
      if (lo !== undefined) bc.min = lo;
      if (hi !== undefined) bc.max = hi;
      body.budget_cny = bc;
    }
    set('city', city.value);
    const d = expires.input.value;
    set('expires_at', d ? `${d}T23:59:59+08:00` : null);
    const ct = {};
    for (const [, input] of cInputs) {
      const val = input.value.trim();
      if (val) ct[input.name.replace('contact_', '')] = val;
    }
    set('contact', Object.keys(ct).length ? ct : null);
    set('ip_status', ip.input.value.trim());
    set('benefit', benefit.input.value.trim());
    if (statusSel) body.status = statusSel.value;
    return body;
  }

  const keep = () => writeDraft(rec, collect());
  form.addEventListener('input', keep);
  form.addEventListener('change', keep);

  let busy = false;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (busy) return;
    clearErrors();
    clearBanner();
    if (!ensureToken()) {
      showBanner('error', t('form.need_token'));
      replace(message, notice('error', t('form.need_token')));
      const tok = document.getElementById('token');
      if (tok) tok.focus();
      return;
    }
    const body = collect();
    busy = true;
    submit.disabled = true;
    submit.setAttribute('aria-busy', 'true');
    replace(message, h('p', { role: 'status' }, t('form.submitting')));
    try {
      const saved = editing
        ? await api(`/api/listings/${encodeURIComponent(rec.id)}`, { method: 'PUT', body, token: true })
        : await api('/api/listings', { method: 'POST', body, token: true });
      dropDraft(rec);
      navigate(recordPath('listings', saved.id), { flash: t(editing ? 'actions.saved' : 'actions.posted') });
    } catch (e) {
      if (e.status === 422 && e.fields.length) {
        showFieldErrors(e.fields);
      } else {
        if (e.status === 401 || e.status === 403 || e.status === 409) showBanner('error', errorText(e));
        replace(message, notice('error', errorText(e)));
      }
    } finally {
      busy = false;
      submit.disabled = false;
      submit.removeAttribute('aria-busy');
    }
  });

  return form;
}

function fieldName(field) {
  const map = {
    kind: 'form.kind', title: 'form.title', name: 'form.title', name_en: 'form.name_en', description: 'form.description',
    description_en: 'form.description_en', clusters: 'form.clusters', fields: 'form.fields', cooperation: 'form.cooperation',
    trl: 'form.trl', budget_cny: 'form.budget', city: 'form.city', expires_at: 'form.expires_at', contact: 'form.contact',
    ip_status: 'form.ip_status', benefit: 'form.benefit', status: 'form.status',
  };
  return map[field] ? t(map[field]) : field;
}

