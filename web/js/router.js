// Client-side routing: which page a path is, in-app navigation with history.pushState, and the
// `lang` URL parameter kept across navigations.

export const COLLECTION_CODES = ['entities', 'talents', 'listings', 'roadmaps', 'industries'];

let renderer = null;

/** Registers the function that renders the page for the current location. */
export function setRenderer(fn) {
  renderer = fn;
}

/** The page a path shows: {name, collection?, id?} or {name: 'notfound'}. */
export function matchRoute(pathname) {
  let path = pathname;
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  if (path === '/' || path === '') return { name: 'search' };
  if (path === '/overview') return { name: 'overview' };
  if (path === '/post') return { name: 'post' };
  if (path === '/board') return { name: 'board' };
  let m = path.match(/^\/listings\/([^/]+)\/edit$/);
  if (m) return { name: 'edit', collection: 'listings', id: safeDecode(m[1]) };
  m = path.match(/^\/([a-z]+)\/([^/]+)$/);
  if (m && COLLECTION_CODES.includes(m[1])) return { name: 'detail', collection: m[1], id: safeDecode(m[2]) };
  return { name: 'notfound' };
}

function safeDecode(s) {
  try { return decodeURIComponent(s); } catch { return s; }
}

/** Whether a same-origin path is one of the app's pages (not the API or an asset). */
export function isAppPath(pathname) {
  if (pathname.startsWith('/api/') || pathname.startsWith('/assets/') || pathname === '/metrics') return false;
  return matchRoute(pathname).name !== 'notfound';
}

/** A record id as a path segment (ids are [A-Za-z0-9_.:-]; ':' stays readable). */
export function seg(id) {
  return encodeURIComponent(id).replace(/%3A/gi, ':');
}

/** Path of a record's page. */
export function recordPath(collection, id) {
  return `/${collection}/${seg(id)}`;
}

/** `url` with the current page's `lang` parameter added when the page has one and url has not. */
export function withLang(url) {
  const cur = new URLSearchParams(window.location.search);
  if (!cur.has('lang')) return url;
  const u = new URL(url, window.location.origin);
  if (!u.searchParams.has('lang')) u.searchParams.set('lang', cur.get('lang'));
  return u.pathname + u.search + u.hash;
}

/**
 * Goes to `url` inside the app. opts.replace: replace the history entry instead of pushing;
 * opts.keepScroll: do not scroll to the top.
 */
export function navigate(url, opts = {}) {
  const target = withLang(url);
  const state = Object.assign({}, window.history.state || {}, { scrollY: window.scrollY });
  window.history.replaceState(state, '');
  if (opts.replace) window.history.replaceState({}, '', target);
  else window.history.pushState({}, '', target);
  if (!opts.keepScroll) window.scrollTo(0, 0);
  if (renderer) renderer({ nav: opts.replace ? 'replace' : 'push', flash: opts.flash || null, focus: opts.focus || null });
}

/** Intercepts clicks on links to app pages. */
export function interceptLinks(root) {
  root.addEventListener('click', (ev) => {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    const a = ev.target.closest ? ev.target.closest('a') : null;
    if (!a) return;
    const href = a.getAttribute('href');
    if (!href || href.startsWith('#')) return;
    if (a.hasAttribute('download') || (a.getAttribute('target') && a.getAttribute('target') !== '_self')) return;
    let u;
    try { u = new URL(href, window.location.href); } catch { return; }
    if (u.origin !== window.location.origin || !isAppPath(u.pathname)) return;
    ev.preventDefault();
    navigate(u.pathname + u.search + u.hash);
  });
}
