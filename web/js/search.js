// The search page (`/`): hero, search box with suggestions (ARIA combobox), facet filters,
// result cards, pagination. Everything the page shows is in the address, so results can be
// shared and the back button works.

import { t, tParts, label, lang, EXAMPLES, COLLECTIONS, CITIES, CLUSTERS, KINDS } from '../i18n.js';
import { h, s as svgEl, replace, snippetNodes, debounce } from './dom.js';
import { api } from './api.js';
import { navigate, withLang, recordPath } from './router.js';
import {
  collectionBadge, cityBadge, clusterBadges, kindBadge, statusBadge, liveness, errorBlock, pageTitle, setTitle,
} from './ui.js';

const DIMS = ['collections', 'city', 'cluster', 'kind'];
const FACET_KEY = { collections: 'collection', city: 'city', cluster: 'cluster', kind: 'kind' };
const ORDER = { collections: Object.keys(COLLECTIONS), city: Object.keys(CITIES), cluster: Object.keys(CLUSTERS), kind: Object.keys(KINDS) };
const PER_PAGE_CHOICES = [10, 20, 50];
const MAX_WINDOW = 10000;

// --- State <-> URL ----------------------------------------------------------------------------

function list(v) {
  return (v || '').split(',').map((x) => x.trim()).filter(Boolean);
}

export function readState(params) {
  const page = parseInt(params.get('page') || '1', 10);
  const per = parseInt(params.get('per_page') || '', 10);
  return {
    q: (params.get('q') || '').trim(),
    collections: list(params.get('collections')),
    city: list(params.get('city')),
    cluster: list(params.get('cluster')),
    kind: list(params.get('kind')),
    page: Number.isFinite(page) && page > 0 ? page : 1,
    per_page: Number.isFinite(per) && per > 0 ? Math.min(per, 100) : null,
    sort: ['relevance', 'newest'].includes(params.get('sort')) ? params.get('sort') : '',
    related_to: (params.get('related_to') || '').trim(),
    status: params.get('status') === 'all' ? 'all' : '',
  };
}

/** The page address of a search state (same parameter names as /api/search). */
export function stateUrl(st) {
  const p = new URLSearchParams();
  if (st.q) p.set('q', st.q);
  for (const d of DIMS) if (st[d] && st[d].length) p.set(d, st[d].join(','));
  if (st.related_to) p.set('related_to', st.related_to);
  if (st.status) p.set('status', st.status);
  if (st.sort) p.set('sort', st.sort);
  if (st.per_page) p.set('per_page', String(st.per_page));
  if (st.page && st.page > 1) p.set('page', String(st.page));
  const s = p.toString();
  return withLang(s ? `/?${s}` : '/');
}

function apiParams(st) {
  return {
    q: st.q,
    collections: st.collections,
    city: st.city,
    cluster: st.cluster,
    kind: st.kind,
    page: st.page > 1 ? st.page : '',
    per_page: st.per_page || '',
    sort: st.sort,
    related_to: st.related_to,
    status: st.status,
    lang: lang(),
  };
}

function hasFilters(st) {
  return DIMS.some((d) => st[d].length) || !!st.related_to || !!st.status;
}

// --- View -------------------------------------------------------------------------------------

let view = null;

export async function render(ctx) {
  const st = readState(ctx.params);
  if (!view || ctx.main.dataset.page !== 'search' || ctx.langChanged || !ctx.main.contains(view.root)) {
    view = buildView(ctx.main);
  }
  await view.update(st, ctx);
}

function buildView(main) {
  main.dataset.page = 'search';
  let current = null;
  let controller = null;
  const relatedNames = new Map();

  // Search box with suggestions.
  const combo = buildCombobox((st) => current);
  const form = combo.form;

  // Hero.
  const hero = h('section', { class: 'hero', 'aria-labelledby': 'hero-title' },
    h('div', { class: 'container' },
      pageTitle(t('hero.title'), { id: 'hero-title', class: 'hero-title' }),
      h('p', { class: 'hero-text' }, t('hero.text')),
      form,
      h('p', { class: 'examples' }, h('span', { class: 'examples-label' }, t('hero.try')), ' ',
        EXAMPLES.slice(0, 4).map((ex) => h('a', { class: 'chip', href: withLang(`/?q=${encodeURIComponent(ex.q)}`), lang: ex.lang }, ex.q)))));

  // Filters.
  const filterBody = h('div', { class: 'filter-body' });
  const filterCount = h('span', { class: 'filter-count' });
  const details = h('details', { class: 'filters', id: 'filters' },
    h('summary', { class: 'filters-summary' }, h('span', t('filters.show')), ' ', filterCount),
    h('h2', { class: 'filters-heading' }, t('filters.title')),
    filterBody);
  const mq = window.matchMedia('(min-width: 56rem)');
  const syncDetails = () => { if (mq.matches) details.open = true; };
  syncDetails();
  if (mq.addEventListener) mq.addEventListener('change', syncDetails);
  details.querySelector('summary').addEventListener('click', (ev) => { if (mq.matches) ev.preventDefault(); });

  // Results.
  const status = h('p', { id: 'result-status', class: 'result-status', role: 'status', 'aria-live': 'polite' });
  const sortSel = h('select', { id: 'sort', name: 'sort', class: 'select' },
    h('option', { value: 'relevance' }, t('sort.relevance')),
    h('option', { value: 'newest' }, t('sort.newest')));
  const perSel = h('select', { id: 'per-page', name: 'per_page', class: 'select' },
    PER_PAGE_CHOICES.map((n) => h('option', { value: String(n) }, String(n))));
  sortSel.addEventListener('change', () => {
    navigate(stateUrl(Object.assign({}, current, { sort: sortSel.value, page: 1 })), { keepScroll: true });
  });
  perSel.addEventListener('change', () => {
    const n = parseInt(perSel.value, 10);
    navigate(stateUrl(Object.assign({}, current, { per_page: n === 10 ? null : n, page: 1 })), { keepScroll: true });
  });
  const toolbar = h('div', { class: 'results-bar' },
    status,
    h('div', { class: 'results-controls' },
      h('label', { for: 'sort', class: 'inline-label' }, t('sort.label')), sortSel,
      h('label', { for: 'per-page', class: 'inline-label' }, t('perpage.label')), perSel));
  const chips = h('div', { class: 'active-filters' });
  const results = h('div', { id: 'results', 'data-state': 'loading', 'aria-busy': 'true' });
  const empty = h('div', { id: 'empty', class: 'empty', hidden: true });
  const pager = h('nav', { class: 'pagination', 'aria-label': t('page.label') });

  const layout = h('div', { class: 'container search-layout' },
    h('aside', { class: 'filters-col', 'aria-label': t('filters.title') }, details),
    h('section', { class: 'results-col', 'aria-labelledby': 'results-heading' },
      h('h2', { id: 'results-heading', class: 'sr-only' }, t('search.heading')),
      toolbar, chips, results, empty, pager));

  replace(main, hero, layout);

  async function update(st, ctx) {
    current = st;
    combo.setValue(st.q);
    combo.close();
    sortSel.value = st.sort || (st.q ? 'relevance' : 'newest');
    perSel.value = String(st.per_page && PER_PAGE_CHOICES.includes(st.per_page) ? st.per_page : 10);
    if (st.per_page && !PER_PAGE_CHOICES.includes(st.per_page)) {
      perSel.appendChild(h('option', { value: String(st.per_page) }, String(st.per_page)));
      perSel.value = String(st.per_page);
    }
    setTitle(st.q ? t('search.title_q', { q: st.q }) : t('nav.search'));
    hero.classList.toggle('hero-compact', !!st.q || hasFilters(st));

    if (controller) controller.abort();
    controller = new AbortController();
    const signal = controller.signal;
    results.setAttribute('data-state', 'loading');
    results.setAttribute('aria-busy', 'true');
    status.textContent = t('searching');

    const base = apiParams(st);
    const requests = [api('/api/search', { params: base, signal })];
    const facetDims = DIMS.filter((d) => st[d].length);
    for (const d of facetDims) {
      const p = Object.assign({}, base, { [d]: '', page: '', per_page: 1 });
      requests.push(api('/api/search', { params: p, signal }).catch(() => null));
    }
    if (st.related_to && !relatedNames.has(st.related_to)) {
      requests.push(api(`/api/entities/${encodeURIComponent(st.related_to)}`, { params: { lang: lang() }, signal })
        .then((r) => relatedNames.set(st.related_to, r.display_name || r.name || st.related_to))
        .catch(() => relatedNames.set(st.related_to, st.related_to)));
    }
    let res;
    const facetAnswers = {};
    try {
      const answers = await Promise.all(requests);
      res = answers[0];
      facetDims.forEach((d, i) => { facetAnswers[d] = answers[i + 1]; });
    } catch (e) {
      if (e && e.name === 'AbortError') return;
      if (!ctx.isCurrent()) return;
      renderError(e, st, ctx);
      return;
    }
    if (!ctx.isCurrent() || signal.aborted) return;
    renderFacets(st, res, facetAnswers);
    renderChips(st, res);
    renderStatus(st, res);
    renderHits(st, res);
    renderEmpty(st, res);
    renderPager(st, res);
    results.setAttribute('data-state', 'ready');
    results.removeAttribute('aria-busy');
  }

  function renderError(e, st, ctx) {
    status.textContent = '';
    const cleared = Object.assign({}, st, { collections: [], city: [], cluster: [], kind: [], related_to: '', status: '', page: 1 });
    replace(results, errorBlock(e, () => update(st, ctx)),
      hasFilters(st) || st.page > 1 ? h('p', h('a', { href: stateUrl(cleared) }, t('empty.clear'))) : null);
    empty.hidden = true;
    replace(pager);
    results.setAttribute('data-state', 'ready');
    results.removeAttribute('aria-busy');
  }

  function toggle(st, dim, code, on) {
    const values = st[dim].filter((v) => v !== code);
    if (on) values.push(code);
    return Object.assign({}, st, { [dim]: values, page: 1 });
  }

  function renderFacets(st, res, facetAnswers) {
    // Keep focus on the checkbox that was used.
    const active = document.activeElement;
    const focusKey = active && active.matches && active.matches('.filters input[type=checkbox]') ? `${active.name}=${active.value}` : null;
    const blocks = DIMS.map((dim) => {
      const source = facetAnswers[dim] || res;
      const counts = (source && source.facets && source.facets[FACET_KEY[dim]]) || {};
      const serverLabels = (source && source.facet_labels && source.facet_labels[FACET_KEY[dim]]) || {};
      const codes = ORDER[dim].filter((c) => counts[c] > 0 || st[dim].includes(c) || dim === 'collections');
      for (const c of Object.keys(counts)) if (!codes.includes(c) && counts[c] > 0) codes.push(c);
      for (const c of st[dim]) if (!codes.includes(c)) codes.push(c);
      const legendId = `legend-${dim}`;
      return h('fieldset', { class: 'facet', 'data-dimension': dim },
        h('legend', { id: legendId, class: 'facet-legend' }, t(`filters.${dim}`)),
        codes.length
          ? h('ul', { class: 'facet-list' }, codes.map((code) => {
            const id = `f-${dim}-${code}`;
            const n = counts[code] || 0;
            const input = h('input', { type: 'checkbox', id, name: dim, value: code, checked: st[dim].includes(code) });
            input.addEventListener('change', () => {
              navigate(stateUrl(toggle(current, dim, code, input.checked)), { keepScroll: true });
            });
            return h('li', { class: n === 0 && !st[dim].includes(code) ? 'facet-item is-zero' : 'facet-item' },
              input,
              h('label', { for: id }, h('span', { class: 'facet-label' }, label(dim, code, serverLabels)),
                h('span', { class: 'facet-count' }, h('span', { class: 'sr-only' }, '('), String(n), h('span', { class: 'sr-only' }, ')'))));
          }))
          : h('p', { class: 'hint' }, t('filters.none')));
    });
    replace(filterBody, blocks);
    const n = DIMS.reduce((a, d) => a + st[d].length, 0);
    filterCount.textContent = n ? `(${n})` : '';
    if (focusKey) {
      const [name, value] = focusKey.split('=');
      const again = filterBody.querySelector(`input[name="${name}"][value="${CSS.escape(value)}"]`);
      if (again) again.focus();
    }
  }

  function renderChips(st, res) {
    const items = [];
    for (const dim of DIMS) {
      const serverLabels = (res.facet_labels && res.facet_labels[FACET_KEY[dim]]) || {};
      for (const code of st[dim]) {
        const text = `${t(`filters.${dim}`)}: ${label(dim, code, serverLabels)}`;
        items.push(h('li', h('a', { class: 'chip chip-remove', href: stateUrl(toggle(st, dim, code, false)), 'aria-label': t('filters.remove', { x: text }) },
          text, h('span', { class: 'chip-x', 'aria-hidden': 'true' }, '×'))));
      }
    }
    if (st.related_to) {
      const text = t('search.related', { name: relatedNames.get(st.related_to) || st.related_to });
      items.push(h('li', h('a', { class: 'chip chip-remove', href: stateUrl(Object.assign({}, st, { related_to: '', page: 1 })), 'aria-label': t('filters.remove', { x: text }) },
        text, h('span', { class: 'chip-x', 'aria-hidden': 'true' }, '×'))));
    }
    if (!items.length) {
      replace(chips);
      chips.hidden = true;
      return;
    }
    chips.hidden = false;
    const cleared = Object.assign({}, st, { collections: [], city: [], cluster: [], kind: [], related_to: '', status: '', page: 1 });
    replace(chips,
      h('h3', { class: 'sr-only' }, t('filters.active')),
      h('ul', { class: 'chip-list' }, items,
        h('li', h('a', { class: 'clear-link', href: stateUrl(cleared) }, t('filters.clear')))));
  }

  function renderStatus(st, res) {
    const key = res.total === 1 ? 'results.total_one' : 'results.total';
    const parts = tParts(key, { n: h('span', { id: 'total' }, String(res.total)) });
    const pages = Math.max(1, Math.ceil(Math.min(res.total, MAX_WINDOW) / res.per_page));
    const extra = [];
    if (!st.q) extra.push(h('span', { class: 'browse-label' }, `${t('search.browse')} · `));
    replace(status, extra, parts,
      h('span', { class: 'took' }, t('results.took', { ms: res.took_ms })),
      res.total > res.per_page ? h('span', { class: 'page-of' }, ` · ${t('results.page_of', { p: res.page, pages })}`) : null);
  }

  function renderHits(st, res) {
    const start = (res.page - 1) * res.per_page + 1;
    const ol = h('ol', { class: 'hits', start: String(start) }, res.hits.map((hit) => hitCard(hit)));
    if (!res.hits.length && res.total > 0) {
      // A page past the end (an old link): offer the last page.
      const pages = Math.max(1, Math.ceil(Math.min(res.total, MAX_WINDOW) / res.per_page));
      replace(results, h('div', { class: 'notice' }, h('p', h('a', { href: stateUrl(Object.assign({}, st, { page: pages })) }, t('page.n', { n: pages })))));
      return;
    }
    replace(results, res.hits.length ? ol : null);
  }

  function renderEmpty(st, res) {
    if (res.total > 0) {
      empty.hidden = true;
      replace(empty);
      return;
    }
    const filtered = hasFilters(st);
    const cleared = Object.assign({}, st, { collections: [], city: [], cluster: [], kind: [], related_to: '', status: '', page: 1 });
    replace(empty,
      h('h3', { class: 'empty-title' }, st.q ? t('empty.title_q', { q: st.q }) : t('empty.title')),
      filtered ? h('p', t('empty.filters'), ' ', h('a', { class: 'btn btn-secondary', id: 'clear-filters', href: stateUrl(cleared) }, t('empty.clear'))) : null,
      h('p', t('empty.tips')),
      h('ul', { class: 'chip-list' }, EXAMPLES.map((ex) => h('li', h('a', { class: 'chip', lang: ex.lang, href: stateUrl(Object.assign({}, cleared, { q: ex.q })) }, ex.q)))));
    empty.hidden = false;
  }

  function renderPager(st, res) {
    const pages = Math.max(1, Math.ceil(Math.min(res.total, MAX_WINDOW) / res.per_page));
    const p = Math.min(res.page, Math.max(pages, res.page));
    if (pages <= 1 && p <= 1) {
      replace(pager);
      pager.hidden = true;
      return;
    }
    pager.hidden = false;
    const link = (n, text, attrs = {}) => h('a', Object.assign({ href: stateUrl(Object.assign({}, st, { page: n })) }, attrs), text);
    const items = [];
    items.push(h('li', { class: 'page-prev' }, p > 1
      ? link(p - 1, [h('span', { 'aria-hidden': 'true' }, '‹ '), t('page.prev')], { rel: 'prev' })
      : h('span', { class: 'disabled', 'aria-disabled': 'true' }, h('span', { 'aria-hidden': 'true' }, '‹ '), t('page.prev'))));
    const nums = new Set([1, pages, p - 2, p - 1, p, p + 1, p + 2].filter((n) => n >= 1 && n <= pages));
    let prev = 0;
    for (const n of [...nums].sort((a, b) => a - b)) {
      if (n - prev > 1) items.push(h('li', { class: 'page-gap', 'aria-hidden': 'true' }, '…'));
      items.push(h('li', { class: 'page-num' }, n === p
        ? h('span', { class: 'current', 'aria-current': 'page' }, h('span', { class: 'sr-only' }, t('page.n', { n })), h('span', { 'aria-hidden': 'true' }, String(n)))
        : link(n, String(n), { 'aria-label': t('page.n', { n }) })));
      prev = n;
    }
    items.push(h('li', { class: 'page-next' }, p < pages
      ? link(p + 1, [t('page.next'), h('span', { 'aria-hidden': 'true' }, ' ›')], { rel: 'next' })
      : h('span', { class: 'disabled', 'aria-disabled': 'true' }, t('page.next'), h('span', { 'aria-hidden': 'true' }, ' ›'))));
    replace(pager, h('ul', items));
  }

  return { root: layout, update };
}

function looksEnglish(text) {
  const s = String(text || '');
  const letters = (s.match(/[A-Za-z]/g) || []).length;
  return letters * 2 > s.length;
}

/** One result card. */
export function hitCard(hit) {
  const isListing = hit.collection === 'listings';
  const nameEn = hit.name_en && hit.name_en !== hit.name && lang() !== 'en' ? hit.name_en : null;
  const snippet = h('p', { class: 'snippet' }, snippetNodes(hit.snippet));
  if (looksEnglish(hit.snippet) && lang() !== 'en') snippet.setAttribute('lang', 'en');
  return h('li', { class: 'hit', 'data-collection': hit.collection, 'data-id': hit.id },
    h('div', { class: 'hit-top badges' },
      collectionBadge(hit.collection),
      isListing ? kindBadge('listings', hit.kind) : null,
      isListing && hit.status && hit.status !== 'open' ? statusBadge(hit.status) : null),
    h('h3', { class: 'hit-title' }, h('a', { class: 'hit-link', href: recordPath(hit.collection, hit.id) }, hit.name || hit.id)),
    nameEn ? h('p', { class: 'hit-name-en', lang: 'en' }, nameEn) : null,
    hit.snippet ? snippet : null,
    h('div', { class: 'hit-meta badges' },
      cityBadge(hit.city),
      clusterBadges(hit.clusters),
      !isListing ? kindBadge(hit.collection, hit.kind) : null,
      liveness(hit)));
}

// --- The search box with suggestions (ARIA 1.2 combobox) --------------------------------------

function buildCombobox(getState) {
  const hintId = 'q-hint';
  const input = h('input', {
    id: 'q', name: 'q', type: 'search', class: 'input search-input', autocomplete: 'off', spellcheck: 'false',
    role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': 'suggestions',
    'aria-describedby': hintId, placeholder: t('search.placeholder'), maxlength: '1000', enterkeyhint: 'search',
  });
  const listbox = h('ul', { id: 'suggestions', role: 'listbox', class: 'suggestions', 'aria-label': t('search.suggestions'), hidden: true });
  const form = h('form', { id: 'search-form', class: 'search-form', role: 'search', action: '/', method: 'get' },
    h('label', { for: 'q', class: 'sr-only' }, t('search.label')),
    h('div', { class: 'combo' }, input, listbox),
    h('button', { type: 'submit', class: 'btn btn-primary search-submit' }, searchIcon(), h('span', t('search.submit'))),
    h('p', { id: hintId, class: 'sr-only' }, t('search.suggest_hint')));

  let items = [];
  let active = -1;
  let controller = null;
  let lastQuery = '';

  function open() {
    if (!items.length) return;
    listbox.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }
  function close() {
    listbox.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    setActive(-1);
  }
  function setActive(i) {
    active = i;
    const opts = listbox.querySelectorAll('[role=option]');
    opts.forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    if (i >= 0 && opts[i]) {
      input.setAttribute('aria-activedescendant', opts[i].id);
      opts[i].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }
  function renderItems(list) {
    items = list;
    replace(listbox, list.map((s, i) => {
      const li = h('li', { id: `suggestion-${i}`, role: 'option', 'aria-selected': 'false', class: 'suggestion', 'data-collection': s.collection, 'data-id': s.id },
        h('a', { href: recordPath(s.collection, s.id), tabindex: '-1' },
          h('span', { class: 'suggestion-text' }, s.text),
          s.matched && s.matched !== s.text ? h('span', { class: 'suggestion-matched' }, t('search.matched', { m: s.matched })) : null,
          collectionBadge(s.collection)));
      li.addEventListener('mouseenter', () => setActive(i));
      return li;
    }));
    active = -1;
    if (list.length && document.activeElement === input) open(); else close();
  }

  const fetchSuggestions = debounce(async () => {
    const q = input.value.trim();
    if (!q) { renderItems([]); return; }
    if (q === lastQuery && items.length) { open(); return; }
    lastQuery = q;
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const list = await api('/api/suggest', { params: { q, lang: lang(), limit: 8 }, signal: controller.signal });
      if (input.value.trim() !== q) return;
      renderItems(Array.isArray(list) ? list : []);
    } catch (e) {
      if (e && e.name === 'AbortError') return;
      renderItems([]);
    }
  }, 150);

  function choose(i) {
    const s = items[i];
    if (!s) return;
    close();
    navigate(recordPath(s.collection, s.id));
  }

  input.addEventListener('input', () => {
    if (!input.value.trim()) { fetchSuggestions.cancel(); lastQuery = ''; renderItems([]); return; }
    fetchSuggestions();
  });
  input.addEventListener('keydown', (ev) => {
    const openNow = !listbox.hidden;
    switch (ev.key) {
      case 'ArrowDown':
        if (!items.length) return;
        ev.preventDefault();
        if (!openNow) { open(); setActive(0); } else setActive(active + 1 >= items.length ? 0 : active + 1);
        break;
      case 'ArrowUp':
        if (!items.length) return;
        ev.preventDefault();
        if (!openNow) { open(); setActive(items.length - 1); } else setActive(active <= 0 ? items.length - 1 : active - 1);
        break;
      case 'Enter':
        if (openNow && active >= 0) {
          ev.preventDefault();
          choose(active);
        } else {
          close();
        }
        break;
      case 'Escape':
        if (openNow) {
          ev.preventDefault();
          close();
        } else if (input.value) {
          ev.preventDefault();
          input.value = '';
          renderItems([]);
        }
        break;
      case 'Tab':
        close();
        break;
      default:
    }
  });
  input.addEventListener('focus', () => { if (items.length && input.value.trim()) open(); });
  input.addEventListener('blur', () => { setTimeout(() => { if (document.activeElement !== input) close(); }, 150); });
  listbox.addEventListener('mousedown', (ev) => ev.preventDefault());
  listbox.addEventListener('click', (ev) => {
    const li = ev.target.closest('[role=option]');
    if (!li) return;
    ev.preventDefault();
    choose(Array.prototype.indexOf.call(listbox.children, li));
  });

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    fetchSuggestions.cancel();
    close();
    const st = getState() || readState(new URLSearchParams());
    const next = Object.assign({}, st, { q: input.value.trim(), page: 1 });
    navigate(stateUrl(next), { keepScroll: true });
  });

  return {
    form,
    setValue(v) { if (input.value.trim() !== v) input.value = v; },
    close,
  };
}

function searchIcon() {
  return svgEl('svg', { viewBox: '0 0 20 20', width: '18', height: '18', 'aria-hidden': 'true', focusable: 'false', class: 'icon' },
    svgEl('circle', { cx: '8.5', cy: '8.5', r: '5.5', fill: 'none', stroke: 'currentColor', 'stroke-width': '2' }),
    svgEl('path', { d: 'M13 13l4.5 4.5', stroke: 'currentColor', 'stroke-width': '2', 'stroke-linecap': 'round' }));
}

