// Small DOM helpers: element builders (no innerHTML anywhere), the safe snippet renderer,
// formatting of dates and numbers.

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(el, child) {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    for (const c of child) append(el, c);
  } else if (child instanceof Node) {
    el.appendChild(child);
  } else {
    el.appendChild(document.createTextNode(String(child)));
  }
}

function setAttrs(el, attrs) {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2).toLowerCase(), v);
    } else if (k === 'class') {
      el.setAttribute('class', Array.isArray(v) ? v.filter(Boolean).join(' ') : v);
    } else if (k === 'text') {
      el.textContent = v;
    } else if (k === 'style') {
      throw new Error('inline style attributes are forbidden by the CSP; use classes or el.style');
    } else if (k === 'value' && 'value' in el && el.tagName !== 'BUTTON' && el.tagName !== 'OPTION' && el.tagName !== 'LI') {
      el.value = v;
    } else if ((k === 'checked' || k === 'selected') && k in el) {
      el[k] = !!v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
}

/** Creates an HTML element: h('a', {href: '/x', class: 'y'}, 'text', child, [more]). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

/** Creates an SVG element. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

/** Replaces the children of `el`. */
export function replace(el, ...children) {
  while (el.firstChild) el.removeChild(el.firstChild);
  append(el, children);
  return el;
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", nbsp: '\u00a0' };

/** Decodes the few HTML entities the server's escaper produces (and numeric ones), as plain text. */
export function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, name) => {
    if (name in ENTITIES) return ENTITIES[name];
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      if (Number.isFinite(code) && code > 0 && code <= 0x10ffff) {
        try { return String.fromCodePoint(code); } catch { return m; }
      }
    }
    return m;
  });
}

/**
 * Renders a server snippet ("…<mark>word</mark>…", everything else HTML-escaped) as DOM nodes:
 * only <mark> and </mark> become elements; every other character, including any other tag,
 * ends up as text. No HTML parser is involved.
 */
export function snippetNodes(snippet) {
  const frag = document.createDocumentFragment();
  if (!snippet) return frag;
  let target = frag;
  let mark = null;
  for (const part of String(snippet).split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') {
      if (!mark) { mark = document.createElement('mark'); frag.appendChild(mark); target = mark; }
    } else if (part === '</mark>') {
      mark = null; target = frag;
    } else if (part) {
      target.appendChild(document.createTextNode(decodeEntities(part)));
    }
  }
  return frag;
}

/** YYYY-MM-DD of an RFC 3339 time, in Greater Bay Area time (UTC+8). */
export function ymd(rfc3339) {
  if (!rfc3339) return '';
  const t = Date.parse(rfc3339);
  if (!Number.isFinite(t)) return String(rfc3339).slice(0, 10);
  return new Date(t + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/** Debounce. */
export function debounce(fn, ms) {
  let timer = null;
  const d = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  d.cancel = () => clearTimeout(timer);
  return d;
}

let uid = 0;
/** A unique element id with a prefix. */
export function nextId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** Visually hidden text for screen readers. */
export function srOnly(text) {
  return h('span', { class: 'sr-only' }, text);
}
