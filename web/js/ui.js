// Shared pieces of the pages: badges, banners, the token panel, match items, loading and error
// blocks.

import { t, label, lang, collectionOne } from '../i18n.js';
import { h, replace, ymd, nextId } from './dom.js';
import { getToken, saveToken, forgetToken, tokenRemembered, errorText } from './api.js';
import { recordPath } from './router.js';

export function badge(cls, text, attrs = {}) {
  return h('span', Object.assign({ class: `badge ${cls}` }, attrs), text);
}

export function collectionBadge(collection) {
  return badge(`badge-collection badge-${collection}`, collectionOne(collection));
}

export function cityBadge(code) {
  if (!code) return null;
  return badge('badge-city', label('city', code));
}

export function clusterBadges(codes) {
  return (codes || []).map((c) => badge('badge-cluster', label('cluster', c)));
}

/** 供 / 需 badge for a listing kind. */
export function listingKindBadge(kind) {
  if (kind !== 'supply' && kind !== 'demand') return null;
  return badge(`badge-${kind}`, t(`hit.${kind}`), { title: t(`hit.${kind}_long`) });
}

export function kindBadge(collection, kind) {
  if (!kind) return null;
  if (collection === 'listings') return listingKindBadge(kind);
  return badge('badge-kind', label('kind', kind));
}

export function statusBadge(status, expiresAt) {
  let st = status || 'open';
  if (st === 'open' && expiresAt && Date.parse(expiresAt) < Date.now()) st = 'expired';
  return badge(`badge-status badge-status-${st}`, t(`status.${st}`));
}

/** "confirmed 2026-…" (listings) or "updated …". */
export function liveness(rec) {
  if (rec.last_confirmed_at) {
    return h('time', { class: 'liveness', datetime: rec.last_confirmed_at }, t('hit.confirmed', { d: ymd(rec.last_confirmed_at) }));
  }
  if (rec.updated_at) {
    return h('time', { class: 'liveness', datetime: rec.updated_at }, t('hit.updated', { d: ymd(rec.updated_at) }));
  }
  return null;
}

/** A heading that receives focus after in-app navigation. */
export function pageTitle(text, attrs = {}) {
  return h('h1', Object.assign({ tabindex: '-1' }, attrs), text);
}

export function loading(text) {
  return h('p', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text || t('loading'));
}

/**
 * A loading message that keeps a screen's height for the page or long list replacing it, so
 * that nothing below moves when the data arrive ("Space kept while loading" in app.css).
 */
export function loadingScreen() {
  const p = loading();
  p.classList.add('loading-screen');
  return p;
}

/** A notice: kind ∈ info | success | warning | error. Errors are announced (role=alert). */
export function notice(kind, message, opts = {}) {
  const attrs = { class: `notice notice-${kind}` };
  if (kind === 'error' || kind === 'warning') attrs.role = 'alert';
  else attrs.role = 'status';
  if (opts.id) attrs.id = opts.id;
  const box = h('div', attrs, h('p', message));
  if (opts.retry) box.appendChild(h('button', { type: 'button', class: 'btn btn-secondary', onclick: opts.retry }, t('retry')));
  if (opts.dismiss) {
    box.appendChild(h('button', { type: 'button', class: 'btn-link notice-dismiss', onclick: () => box.remove() }, t('dismiss')));
  }
  return box;
}

/** Shows a banner (401/403 and other action errors) in the page's banner area. */
export function showBanner(kind, message) {
  let area = document.getElementById('banner');
  if (!area) {
    area = h('div', { id: 'banner', class: 'banner-area' });
    const main = document.getElementById('main');
    main.insertBefore(area, main.firstChild);
  }
  const box = notice(kind, message, { dismiss: true });
  box.classList.add('banner');
  replace(area, box);
  area.scrollIntoView({ block: 'nearest' });
  return box;
}

export function clearBanner() {
  const area = document.getElementById('banner');
  if (area) replace(area);
}

export function errorBlock(e, retry) {
  return notice('error', errorText(e), { retry });
}

/** A link to a record page. */
export function recordLink(collection, id, text, attrs = {}) {
  return h('a', Object.assign({ href: recordPath(collection, id) }, attrs), text);
}

/** One counterpart of a match list, with score bar and reasons. */
export function matchItem(m, headingLevel = 'h3') {
  const pct = Math.max(0, Math.min(100, Math.round((Number(m.score) || 0) * 100)));
  const fill = h('span', { class: 'score-fill' });
  fill.style.width = `${pct}%`;
  return h('article', { class: 'match', 'data-collection': m.collection, 'data-id': m.id },
    h('div', { class: 'match-head' },
      h(headingLevel, { class: 'match-name' }, recordLink(m.collection, m.id, m.name || m.id, { class: 'match-link' })),
      h('div', { class: 'badges' }, collectionBadge(m.collection), kindBadge(m.collection, m.kind), cityBadge(m.city))),
    h('div', { class: 'score' },
      h('span', { class: 'score-label' }, `${t('detail.score')} `),
      h('span', { class: 'score-bar', 'aria-hidden': 'true' }, fill),
      h('span', { class: 'score-value' }, `${pct}%`)),
    (m.reasons && m.reasons.length)
      ? h('ul', { class: 'reasons', 'aria-label': t('detail.reasons') }, m.reasons.map((r) => h('li', { 'data-code': r.code }, r.text)))
      : h('ul', { class: 'reasons' }));
}

/**
 * The organisation-token panel: password input #token, remember box #token-remember, save
 * button #token-save, forget button. `onChange` runs after the token changed.
 */
export function tokenPanel(onChange) {
  const statusId = nextId('token-status');
  const status = h('p', { id: statusId, class: 'token-status', role: 'status' });
  const input = h('input', {
    id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false',
    class: 'input', 'aria-describedby': statusId,
  });
  const remember = h('input', { id: 'token-remember', type: 'checkbox', checked: tokenRemembered() });
  const toggle = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'aria-pressed': 'false', 'aria-controls': 'token' }, t('token.show'));
  toggle.addEventListener('click', () => {
    const show = input.type === 'password';
    input.type = show ? 'text' : 'password';
    toggle.setAttribute('aria-pressed', String(show));
    toggle.textContent = show ? t('token.hide') : t('token.show');
  });
  const forget = h('button', { type: 'button', id: 'token-forget', class: 'btn btn-secondary' }, t('token.forget'));

  function describe(msg) {
    const tok = getToken();
    const parts = [];
    if (msg) parts.push(msg);
    if (!tok) parts.push(t('token.none'));
    else parts.push(t(tokenRemembered() ? 'token.remembered' : 'token.session', { tail: tok.slice(-4) }));
    status.textContent = parts.join(' ');
    forget.hidden = !tok;
    panel.classList.toggle('has-token', !!tok);
  }

  const form = h('form', { class: 'token-form', novalidate: true },
    h('div', { class: 'token-row' },
      h('label', { for: 'token', class: 'label' }, t('token.label')),
      h('div', { class: 'token-input' }, input, toggle)),
    h('div', { class: 'token-row token-actions' },
      h('label', { class: 'check' }, remember, ' ', t('token.remember')),
      h('button', { type: 'submit', id: 'token-save', class: 'btn btn-primary' }, t('token.save')),
      forget));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const value = input.value.trim();
    if (!value) {
      describe(t('token.empty'));
      input.focus();
      return;
    }
    saveToken(value, remember.checked);
    input.value = '';
    describe(t('token.saved'));
    if (onChange) onChange();
  });
  forget.addEventListener('click', () => {
    forgetToken();
    remember.checked = false;
    describe(t('token.forgotten'));
    input.focus();
    if (onChange) onChange();
  });

  const headingId = nextId('token-h');
  const panel = h('section', { class: 'token-panel', 'aria-labelledby': headingId },
    h('h2', { id: headingId, class: 'h-small' }, t('token.title')),
    h('p', { class: 'hint' }, t('token.help')),
    form, status);
  describe();
  const onToken = () => {
    if (!panel.isConnected) { window.removeEventListener('gba:token', onToken); return; }
    if (!getToken()) return;
    input.value = '';
    describe();
  };
  window.addEventListener('gba:token', onToken);
  return panel;
}

/** A key/value list (<dl>) from [label, value] pairs; empty values are skipped. */
export function factList(pairs) {
  const dl = h('dl', { class: 'facts' });
  for (const [k, v, attrs] of pairs) {
    if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    dl.appendChild(h('div', Object.assign({ class: 'fact' }, attrs || {}), h('dt', k), h('dd', v)));
  }
  return dl;
}

/** Tags (technology fields etc.) as a list. */
export function tagList(items, cls = 'tags') {
  if (!items || !items.length) return null;
  return h('ul', { class: cls }, items.map((x) => h('li', { class: 'tag' }, String(x))));
}

/** Sets the document title. */
export function setTitle(...parts) {
  document.title = [...parts.filter(Boolean), t('site.name')].join(' · ');
}

/** The interface language, for `lang=` API parameters. */
export function apiLang() {
  return lang();
}
