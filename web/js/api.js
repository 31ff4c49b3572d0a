// The JSON API: fetch wrappers with the API's error shape, and the organisation token.

import { t, errorCodeText } from '../i18n.js';

/** An API error: `status` (0 for a network failure), `code`, `message`, `fields`. */
export class ApiError extends Error {
  constructor(status, code, message, fields) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code || '';
    this.fields = Array.isArray(fields) ? fields : [];
  }
}

/** Builds a query string from an object, skipping empty values. */
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === null || v === undefined || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length) u.set(k, v.join(','));
    } else {
      u.set(k, String(v));
    }
  }
  const s = u.toString();
  return s ? `?${s}` : '';
}

/**
 * Calls the API. Options: method, params (query), body (JSON), token (bearer; true = the stored
 * token), signal. Resolves to the parsed JSON; rejects with ApiError.
 */
export async function api(path, opts = {}) {
  const headers = { Accept: 'application/json' };
  const token = opts.token === true ? getToken() : opts.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  let body;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res;
  try {
    res = await fetch(path + qs(opts.params), { method: opts.method || 'GET', headers, body, signal: opts.signal, credentials: 'same-origin' });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', t('error.network'));
  }
  let data = null;
  const text = await res.text();
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) {
    const err = data && data.error ? data.error : {};
    throw new ApiError(res.status, err.code, err.message || res.statusText, err.fields);
  }
  return data;
}

/** A message for an error, in the interface language. */
export function errorText(e) {
  if (!(e instanceof ApiError)) return `${t('error.title')}: ${e && e.message ? e.message : e}`;
  if (e.status === 0) return t('error.network');
  // The UI's own words for each code of the API's table: never the API's English in a Chinese page.
  const own = errorCodeText(e.code);
  if (own) return own;
  if (e.status >= 500) return t('error.server', { status: e.status, msg: e.message });
  return t('error.request', { msg: e.message });
}

// --- The organisation token -------------------------------------------------------------------
// Remembered: localStorage `gba.token`; for this session only: sessionStorage `gba.token`.

const KEY = 'gba.token';

function store(kind) {
  try { return kind === 'local' ? window.localStorage : window.sessionStorage; } catch { return null; }
}

export function getToken() {
  const s = store('session');
  const l = store('local');
  return (s && s.getItem(KEY)) || (l && l.getItem(KEY)) || '';
}

/**
 * The stored token; when there is none but the token field of the page holds one that was not
 * saved yet, that one is saved (for the session, or remembered if the box is ticked) and used.
 */
export function ensureToken() {
  const tok = getToken();
  if (tok) return tok;
  const input = document.getElementById('token');
  const value = input && input.value ? input.value.trim() : '';
  if (!value) return '';
  const remember = document.getElementById('token-remember');
  saveToken(value, !!(remember && remember.checked));
  return value;
}

export function tokenRemembered() {
  const l = store('local');
  return !!(l && l.getItem(KEY));
}

export function saveToken(token, remember) {
  const s = store('session');
  const l = store('local');
  if (remember) {
    if (l) l.setItem(KEY, token);
    if (s) s.removeItem(KEY);
  } else {
    if (s) s.setItem(KEY, token);
    if (l) l.removeItem(KEY);
  }
  window.dispatchEvent(new CustomEvent('gba:token'));
}

export function forgetToken() {
  const s = store('session');
  const l = store('local');
  if (s) s.removeItem(KEY);
  if (l) l.removeItem(KEY);
  window.dispatchEvent(new CustomEvent('gba:token'));
}
