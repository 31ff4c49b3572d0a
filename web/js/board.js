// `/board`: the matchmaking board — supply ↔ demand pairs the server found (GET /api/board),
// filtered by city, cluster and cross-border, with their score and reasons; then the newest
// offers and needs side by side, and a box to describe a need and get counterparts
// (GET /api/match).

import { t, tParts, label, lang, CITIES, CLUSTERS } from '../i18n.js';
import { h, replace, nextId, ymd } from './dom.js';
import { api } from './api.js';
import { navigate, withLang, recordPath } from './router.js';
import { pageTitle, setTitle, loading, loadingScreen, errorBlock, matchItem, cityBadge, listingKindBadge } from './ui.js';
import { hitCard } from './search.js';

function codes(params, name, table) {
  return (params.get(name) || '').split(',').map((x) => x.trim()).filter((c) => table[c]);
}

function boardUrl(st, page) {
  const p = new URLSearchParams();
  if (st.city.length) p.set('city', st.city.join(','));
  if (st.cluster.length) p.set('cluster', st.cluster.join(','));
  if (st.crossBorder) p.set('cross_border', 'true');
  if (page && page > 1) p.set('page', String(page));
  const q = p.toString();
  return withLang(q ? `/board?${q}` : '/board');
}

export async function render(ctx) {
  const main = ctx.main;
  main.dataset.page = 'board';
  setTitle(t('board.title'));
  const st = {
    city: codes(ctx.params, 'city', CITIES),
    cluster: codes(ctx.params, 'cluster', CLUSTERS),
    crossBorder: ctx.params.get('cross_border') === 'true',
    page: Math.max(1, parseInt(ctx.params.get('page') || '1', 10) || 1),
  };

  // Filters (a GET form: the address says what is shown).
  const citySel = h('select', { id: 'board-city', name: 'city', class: 'select' },
    h('option', { value: '' }, t('board.all')),
    Object.keys(CITIES).map((c) => h('option', { value: c, selected: st.city.length === 1 && st.city[0] === c }, label('city', c))));
  const clusterSel = h('select', { id: 'board-cluster', name: 'cluster', class: 'select' },
    h('option', { value: '' }, t('board.all')),
    Object.keys(CLUSTERS).map((c) => h('option', { value: c, selected: st.cluster.length === 1 && st.cluster[0] === c }, label('cluster', c))));
  const cross = h('input', { type: 'checkbox', id: 'board-cross', name: 'cross_border', value: 'true', checked: st.crossBorder });
  const filters = h('form', { class: 'board-filters', action: '/board', method: 'get' },
    h('div', { class: 'field-inline' }, h('label', { for: 'board-city', class: 'sublabel' }, t('filters.city')), citySel),
    h('div', { class: 'field-inline' }, h('label', { for: 'board-cluster', class: 'sublabel' }, t('filters.cluster')), clusterSel),
    h('label', { class: 'check board-cross', for: 'board-cross' }, cross, ' ', t('board.cross_border')),
    h('button', { type: 'submit', class: 'btn btn-secondary' }, t('board.apply')));
  filters.addEventListener('submit', (ev) => {
    ev.preventDefault();
    navigate(boardUrl({
      city: citySel.value ? [citySel.value] : (st.city.length > 1 ? st.city : []),
      cluster: clusterSel.value ? [clusterSel.value] : (st.cluster.length > 1 ? st.cluster : []),
      crossBorder: cross.checked,
    }, 1), { keepScroll: true });
  });

  // Pairs.
  const pairsBody = h('div', { class: 'pairs-body' }, loadingScreen());
  const pairsId = nextId('h');
  const pairsSection = h('section', { id: 'pairs', class: 'pairs-section', 'aria-labelledby': pairsId },
    h('h2', { id: pairsId }, t('board.pairs_title')),
    h('p', { class: 'hint' }, t('board.pairs_intro')),
    pairsBody);

  // Newest offers and needs.
  const column = (kind, perPage) => {
    const body = h('div', { class: 'board-col-body' }, loadingScreen());
    const hid = nextId('h');
    const el = h('section', { class: `board-col board-${kind}`, 'aria-labelledby': hid },
      h('h3', { id: hid, class: 'board-col-title' }, t(`board.${kind}`)), body);
    const load = api('/api/search', {
      params: { collections: 'listings', kind, city: st.city, cluster: st.cluster, sort: 'newest', per_page: perPage, lang: lang() },
    })
      .then((res) => {
        const p = new URLSearchParams({ collections: 'listings', kind, sort: 'newest' });
        if (st.city.length) p.set('city', st.city.join(','));
        if (st.cluster.length) p.set('cluster', st.cluster.join(','));
        replace(body,
          res.hits.length ? h('ol', { class: 'hits compact' }, res.hits.map((hit) => hitCard(hit))) : h('p', { class: 'hint' }, t('empty.title')),
          res.total > res.hits.length ? h('p', { class: 'see-all' }, h('a', { href: withLang(`/?${p.toString()}`) }, t('board.see_all', { n: res.total }))) : null);
      })
      .catch((e) => replace(body, errorBlock(e)));
    return { el, load };
  };

  // Describe a need.
  const text = h('textarea', { id: 'need-text', name: 'text', rows: '3', class: 'input', maxlength: '1000', placeholder: t('board.match_placeholder') });
  const out = h('div', { id: 'need-matches', 'aria-live': 'polite' });
  // A need meets offers; an offer (tried before posting) meets needs.
  const kindRadios = ['demand', 'supply'].map((k) => h('input', { type: 'radio', name: 'match-kind', value: k, id: `match-kind-${k}`, checked: k === 'demand' }));
  const kindSet = h('fieldset', { class: 'field fieldset' },
    h('legend', { class: 'label' }, t('board.match_kind')),
    h('div', { class: 'choice-row' }, kindRadios.map((r) => h('label', { class: `choice choice-${r.value}`, for: r.id }, r, ' ', t(`board.match_kind_${r.value}`)))));
  const needForm = h('form', { id: 'match-form', class: 'stack-form', novalidate: true },
    kindSet,
    h('label', { for: 'need-text', class: 'label' }, t('board.match_label')), text,
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('board.match_submit')));
  needForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const q = text.value.trim();
    if (!q) { text.focus(); return; }
    replace(out, loading());
    try {
      const kind = (kindRadios.find((r) => r.checked) || kindRadios[0]).value;
      const res = await api('/api/match', { params: { text: q, kind, lang: lang(), limit: 10 } });
      const list = res.matches || [];
      replace(out, list.length ? h('div', { class: 'match-list' }, list.map((m) => matchItem(m))) : h('p', { class: 'hint' }, t('detail.no_matches')));
    } catch (e) {
      replace(out, errorBlock(e));
    }
  });
  const matchId = nextId('h');
  const latestId = nextId('h');
  // In the page from the start (each keeping its space while it loads), so that nothing moves
  // when the pairs above arrive.
  const supply = column('supply', 5);
  const demand = column('demand', 5);
  const latest = h('section', { class: 'latest-section', 'aria-labelledby': latestId }, h('h2', { id: latestId }, t('board.latest')),
    h('div', { class: 'board-cols' }, supply.el, demand.el));

  replace(main, h('div', { class: 'container page board' },
    pageTitle(t('board.title')),
    h('p', { class: 'lead' }, t('board.intro')),
    h('p', { class: 'cta' }, h('span', t('board.post_cta')), ' ', h('a', { class: 'btn btn-primary', href: withLang('/post') }, t('nav.post'))),
    filters,
    pairsSection,
    latest,
    h('section', { class: 'need-box', 'aria-labelledby': matchId }, h('h2', { id: matchId }, t('board.match_title')), needForm, out)));

  try {
    const res = await api('/api/board', {
      params: { city: st.city, cluster: st.cluster, cross_border: st.crossBorder ? 'true' : '', page: st.page > 1 ? st.page : '', per_page: 10, lang: lang() },
    });
    if (!ctx.isCurrent()) return;
    renderPairs(pairsBody, res, st);
  } catch (e) {
    if (!ctx.isCurrent()) return;
    replace(pairsBody, errorBlock(e));
  }
  await Promise.allSettled([supply.load, demand.load]);
}

function side(s) {
  if (!s) return null;
  return h('div', { class: `pair-side pair-${s.kind}` },
    h('div', { class: 'badges' }, listingKindBadge(s.kind), cityBadge(s.city)),
    h('p', { class: 'pair-name' }, h('a', { href: recordPath('listings', s.id), class: 'pair-link' }, s.name || s.id)),
    s.owner ? h('p', { class: 'pair-owner' }, tParts('board.by', { name: h('a', { href: recordPath('entities', s.owner) }, s.owner_name || s.owner) })) : null);
}

function renderPairs(body, res, st) {
  const pairs = res.pairs || [];
  if (!pairs.length) {
    replace(body, h('p', { class: 'hint' }, t('board.no_pairs')));
    return;
  }
  const feed = new URLSearchParams();
  if (st.city.length) feed.set('city', st.city.join(','));
  if (st.cluster.length) feed.set('cluster', st.cluster.join(','));
  if (st.crossBorder) feed.set('cross_border', 'true');
  feed.set('lang', lang());
  const pages = Math.max(1, Math.ceil((res.total || 0) / (res.per_page || 10)));
  const page = res.page || 1;
  const pager = pages > 1 ? h('nav', { class: 'pagination', 'aria-label': t('page.label') }, h('ul',
    h('li', page > 1 ? h('a', { href: boardUrl(st, page - 1), rel: 'prev' }, t('page.prev')) : h('span', { class: 'disabled', 'aria-disabled': 'true' }, t('page.prev'))),
    h('li', h('span', { class: 'page-of' }, t('results.page_of', { p: page, pages }))),
    h('li', page < pages ? h('a', { href: boardUrl(st, page + 1), rel: 'next' }, t('page.next')) : h('span', { class: 'disabled', 'aria-disabled': 'true' }, t('page.next'))))) : null;
  replace(body,
    h('p', { class: 'result-status' }, tParts('board.pairs_total', { n: h('strong', String(res.total || 0)) })),
    h('ol', { class: 'pairs' }, pairs.map((p) => {
      const pct = Math.max(0, Math.min(100, Math.round((Number(p.score) || 0) * 100)));
      const fill = h('span', { class: 'score-fill' });
      fill.style.width = `${pct}%`;
      return h('li', { class: 'pair', 'data-supply': p.supply && p.supply.id, 'data-demand': p.demand && p.demand.id },
        h('div', { class: 'pair-sides' }, side(p.supply), h('span', { class: 'pair-arrow', 'aria-hidden': 'true' }, '⇄'), side(p.demand)),
        h('div', { class: 'pair-meta' },
          h('span', { class: 'score' },
            h('span', { class: 'score-label' }, `${t('detail.score')} `),
            h('span', { class: 'score-bar', 'aria-hidden': 'true' }, fill),
            h('span', { class: 'score-value' }, `${pct}%`)),
          p.cross_border ? h('span', { class: 'badge badge-cross' }, t('board.cross_badge')) : null,
          p.first_seen ? h('time', { class: 'liveness', datetime: p.first_seen }, t('board.paired', { d: ymd(p.first_seen) })) : null),
        p.reasons && p.reasons.length ? h('ul', { class: 'reasons', 'aria-label': t('detail.reasons') }, p.reasons.map((r) => h('li', { 'data-code': r.code }, r.text))) : null);
    })),
    pager,
    h('p', { class: 'feed-link' }, h('a', { href: `/feeds/board?${feed.toString()}`, type: 'application/atom+xml' }, t('board.feed'))));
}
