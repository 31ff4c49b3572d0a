// gba-search web interface: the entry module. Renders the header (language switch, navigation)
// and footer at once, then the page for the current path; routes in-app links with
// history.pushState and re-renders on popstate.

import { t, LANGS, LANG_NAMES, normalizeLang, browserLang, setCurrentLang, lang } from './i18n.js';
import { h, s, replace } from './js/dom.js';
import { setRenderer, matchRoute, interceptLinks, navigate } from './js/router.js';
import { pageTitle, setTitle } from './js/ui.js';

const LANG_KEY = 'gba.lang';
const main = document.getElementById('main');

const pages = {
  search: () => import('./js/search.js'),
  detail: () => import('./js/detail.js'),
  post: () => import('./js/listing-form.js'),
  edit: () => import('./js/listing-form.js'),
  overview: () => import('./js/overview.js'),
  board: () => import('./js/board.js'),
};

// --- Language ---------------------------------------------------------------------------------

function storedLang() {
  try { return normalizeLang(window.localStorage.getItem(LANG_KEY)); } catch { return null; }
}

/** The language of this view: the `lang` URL parameter, else the stored choice, else the browser's. */
function resolveLang() {
  const fromUrl = normalizeLang(new URLSearchParams(window.location.search).get('lang'));
  return fromUrl || storedLang() || browserLang();
}

function chooseLang(l) {
  try { window.localStorage.setItem(LANG_KEY, l); } catch { /* private mode */ }
  // The choice goes into the address too, so that the page stays shareable as it is seen.
  const params = new URLSearchParams(window.location.search);
  params.set('lang', l);
  window.history.replaceState(window.history.state, '', `${window.location.pathname}?${params.toString()}${window.location.hash}`);
  render({ nav: 'lang' }).then(() => {
    const btn = document.querySelector(`button[data-lang="${l}"]`);
    if (btn) btn.focus();
  });
}

// --- Header and footer ------------------------------------------------------------------------

function logo() {
  // An inline SVG mark: the estuary as a bay with a node network.
  return s('svg', { viewBox: '0 0 32 32', width: '32', height: '32', 'aria-hidden': 'true', focusable: 'false' },
    s('rect', { x: '0', y: '0', width: '32', height: '32', rx: '7', fill: '#0b5570' }),
    s('path', { d: 'M4 22c4-1 6-5 8-9 1.5 3.5 2.5 6 4 7 1.6-3 3.6-7 6-9 1.5 3 3 6 6 7v8H4z', fill: '#7fd1e0' }),
    s('circle', { cx: '12', cy: '11', r: '2.2', fill: '#ffffff' }),
    s('circle', { cx: '22', cy: '9', r: '2.2', fill: '#ffffff' }),
    s('circle', { cx: '17', cy: '17', r: '1.8', fill: '#ffd166' }),
    s('path', { d: 'M12 11L22 9M12 11l5 6M22 9l-5 8', stroke: '#ffffff', 'stroke-width': '1', fill: 'none' }));
}

let headerEl = null;
let footerEl = null;
let skipEl = null;

function navItems() {
  return [
    ['/', 'nav.search', 'search'],
    ['/board', 'nav.board', 'board'],
    ['/overview', 'nav.overview', 'overview'],
    ['/post', 'nav.post', 'post'],
  ];
}

function buildHeader() {
  const langButtons = LANGS.map((l) => {
    const [short, full] = LANG_NAMES[l];
    return h('button', {
      type: 'button', class: 'lang-btn', 'data-lang': l, lang: l, 'aria-pressed': String(l === lang()),
      onclick: () => { if (l !== lang()) chooseLang(l); },
    }, h('span', { 'aria-hidden': 'true' }, short), h('span', { class: 'sr-only' }, full));
  });
  const header = h('header', { class: 'site-header', id: 'site-header' },
    h('div', { class: 'container header-top' },
      h('a', { href: '/', class: 'brand' }, logo(), h('span', { class: 'brand-text' },
        h('span', { class: 'brand-name' }, t('site.name')),
        h('span', { class: 'brand-short' }, t('site.short')),
        h('span', { class: 'brand-sub', lang: 'en' }, 'Guangdong–Hong Kong–Macau Greater Bay Area'))),
      h('div', { class: 'header-tools' },
        headerSearch(),
        h('div', { class: 'lang-switch', role: 'group', 'aria-label': t('lang.label') }, langButtons))),
    h('nav', { class: 'main-nav', 'aria-label': t('nav.label') },
      h('div', { class: 'container' },
        h('ul', navItems().map(([href, key, name]) => h('li', h('a', { href, 'data-nav': name }, t(key))))))));
  return header;
}

/** A compact search box for the pages other than search (which has its own). */
function headerSearch() {
  const input = h('input', { id: 'header-q', name: 'q', type: 'search', class: 'input', autocomplete: 'off', placeholder: t('search.header_placeholder') });
  const form = h('form', { class: 'header-search', role: 'search', action: '/', method: 'get', 'aria-label': t('nav.search') },
    h('label', { for: 'header-q', class: 'sr-only' }, t('search.label')),
    input,
    h('button', { type: 'button', class: 'btn btn-primary btn-small', onclick: () => form.requestSubmit() }, t('search.submit')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = input.value.trim();
    input.value = '';
    navigate(q ? `/?q=${encodeURIComponent(q)}` : '/');
  });
  return form;
}

function buildFooter() {
  return h('footer', { class: 'site-footer' },
    h('div', { class: 'container footer-inner' },
      h('p', { class: 'footer-data' }, t('footer.data')),
      h('ul', { class: 'footer-links' },
        h('li', h('a', { href: '/api/openapi.json' }, t('footer.api'))),
        h('li', h('a', { href: '/api/health' }, t('footer.health'))),
        h('li', h('a', { href: '/overview' }, t('nav.overview')))),
      h('p', { class: 'footer-name' }, `gba-search · ${t('site.name')}`)));
}

function renderChrome() {
  document.documentElement.lang = lang();
  const skip = h('a', { class: 'skip-link', href: '#main' }, t('skip'));
  const header = buildHeader();
  const footer = buildFooter();
  if (skipEl) skipEl.replaceWith(skip); else document.body.insertBefore(skip, document.body.firstChild);
  if (headerEl) headerEl.replaceWith(header); else document.body.insertBefore(header, main);
  if (footerEl) footerEl.replaceWith(footer); else main.after(footer);
  skipEl = skip;
  headerEl = header;
  footerEl = footer;
}

function markNav(routeName) {
  const navName = routeName === 'edit' ? 'post' : routeName;
  const hs = document.querySelector('.header-search');
  if (hs) hs.hidden = routeName === 'search';
  for (const a of document.querySelectorAll('.main-nav a')) {
    if (a.dataset.nav === navName) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

// --- Rendering --------------------------------------------------------------------------------

let seq = 0;
let chromeLang = null;
const loaded = {};

async function render(info = { nav: 'initial' }) {
  const mySeq = ++seq;
  const l = resolveLang();
  setCurrentLang(l);
  if (chromeLang !== l) {
    renderChrome();
    chromeLang = l;
  }
  const route = matchRoute(window.location.pathname);
  markNav(route.name);
  // Marked synchronously, before anything is awaited: whoever waits for "ready" after a click
  // never sees the previous page's state.
  main.setAttribute('data-state', 'loading');
  main.setAttribute('aria-busy', 'true');
  const oldResults = document.getElementById('results');
  if (oldResults) oldResults.setAttribute('data-state', 'loading');
  const previousPage = main.dataset.page || '';
  const ctx = {
    route,
    params: new URLSearchParams(window.location.search),
    main,
    nav: info.nav,
    flash: info.flash || null,
    langChanged: info.nav === 'lang',
    isCurrent: () => mySeq === seq,
  };
  try {
    if (route.name === 'notfound') {
      renderNotFoundPage();
    } else {
      const mod = loaded[route.name] || (loaded[route.name] = await pages[route.name]());
      if (!ctx.isCurrent()) return;
      await mod.render(ctx);
    }
  } catch (e) {
    if (!ctx.isCurrent()) return;
    console.error(e);
    replace(main, h('div', { class: 'container page' }, pageTitle(t('error.title')),
      h('p', String(e && e.message ? e.message : e))));
  }
  if (!ctx.isCurrent()) return;
  main.setAttribute('data-state', 'ready');
  main.removeAttribute('aria-busy');
  const stayedOnSearch = route.name === 'search' && previousPage === 'search';
  const focusTarget = info.focus ? document.getElementById(info.focus) : null;
  if (focusTarget) {
    focusTarget.focus({ preventScroll: true });
  } else if ((info.nav === 'push' || info.nav === 'pop') && !stayedOnSearch) {
    const h1 = main.querySelector('h1');
    if (h1) h1.focus({ preventScroll: true });
  }
  if (info.nav === 'pop') {
    const y = (window.history.state && window.history.state.scrollY) || 0;
    window.scrollTo(0, y);
  }
}

function renderNotFoundPage() {
  main.dataset.page = 'notfound';
  setTitle(t('notfound.page'));
  replace(main, h('div', { class: 'container page narrow' },
    pageTitle(t('notfound.page')),
    h('p', h('a', { href: '/' }, t('notfound.back')))));
}

// --- Start ------------------------------------------------------------------------------------

if ('scrollRestoration' in window.history) window.history.scrollRestoration = 'manual';
setRenderer(render);
interceptLinks(document);
window.addEventListener('popstate', () => render({ nav: 'pop' }));
render({ nav: 'initial' });
