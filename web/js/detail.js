// Detail pages of the five collections (`/{collection}/{id}`), linked both ways: talent ↔
// affiliation, entity → its talents and listings, listing → owner and matches, roadmap →
// bottlenecks and who could solve them, industry → indicators.

import { t, label, lang, collectionOne, trlLabel, formatNumber, formatCny, joinList, fieldError } from '../i18n.js';
import { h, replace, ymd, nextId } from './dom.js';
import { api, getToken, ensureToken, errorText } from './api.js';
import { navigate, recordPath, withLang, seg } from './router.js';
import {
  collectionBadge, cityBadge, clusterBadges, kindBadge, statusBadge, liveness, loading, loadingScreen, notice, errorBlock,
  pageTitle, setTitle, factList, tagList, matchItem, tokenPanel, showBanner, clearBanner, listingKindBadge,
} from './ui.js';

const nameCache = new Map();

/** Display name of a record in the interface language (cached), or null when it does not exist. */
async function recordName(collection, id) {
  const key = `${lang()}|${collection}|${id}`;
  if (nameCache.has(key)) return nameCache.get(key);
  try {
    const r = await api(`/api/${collection}/${encodeURIComponent(id)}`, { params: { lang: lang() } });
    const name = r.display_name || r.name || id;
    nameCache.set(key, name);
    return name;
  } catch (e) {
    if (e.status === 404) { nameCache.set(key, null); return null; }
    return id;
  }
}

/** A free-text field in the interface script (`localized`), else as stored. */
function loc(rec, key) {
  if (rec.localized && rec.localized[key] !== undefined) return rec.localized[key];
  return rec[key];
}

function isBlank(v) {
  return v === null || v === undefined || (typeof v === 'string' && !v.trim()) || (Array.isArray(v) && !v.length);
}

function looksEnglish(text) {
  const s = String(text || '');
  return (s.match(/[A-Za-z]/g) || []).length * 2 > s.length;
}

/** A paragraph block of text, split on blank lines. */
/** `text` with each organisation it names (`mentions`: the API's `[{text, id}]`) a link to its page. */
function linked(text, mentions) {
  const names = (mentions || []).filter((m) => m && m.text && m.id && text.includes(m.text));
  const out = [];
  let rest = text;
  while (rest) {
    let best = null;
    for (const m of names) {
      const at = rest.indexOf(m.text);
      if (at >= 0 && (!best || at < best.at || (at === best.at && m.text.length > best.m.text.length))) best = { at, m };
    }
    if (!best) break;
    if (best.at) out.push(rest.slice(0, best.at));
    out.push(h('a', { href: recordPath('entities', best.m.id), class: 'mention' }, best.m.text));
    rest = rest.slice(best.at + best.m.text.length);
  }
  if (rest) out.push(rest);
  return out;
}

/** Paragraphs of `text`; the organisations of `mentions` it names are links. */
function prose(text, attrs = {}, mentions = []) {
  if (isBlank(text)) return null;
  const paras = String(text).split(/\n\s*\n/).map((p) => h('p', linked(p.trim(), mentions)));
  const div = h('div', Object.assign({ class: 'prose' }, attrs), paras);
  if (lang() !== 'en' && looksEnglish(text) && !attrs.lang) div.setAttribute('lang', 'en');
  return div;
}

function section(id, title, ...children) {
  const hid = nextId('h');
  return h('section', { id: id || null, class: 'detail-section', 'aria-labelledby': hid }, h('h2', { id: hid }, title), children);
}

function trlMeter(n) {
  const v = Number(n);
  if (!Number.isInteger(v) || v < 1 || v > 9) return null;
  const cells = [];
  for (let i = 1; i <= 9; i += 1) cells.push(h('span', { class: i <= v ? 'trl-cell on' : 'trl-cell' }));
  return h('span', { class: 'trl' },
    h('span', { class: 'trl-cells', 'aria-hidden': 'true' }, cells),
    h('span', { class: 'trl-text' }, `${v} / 9 · ${trlLabel(v)}`));
}

function dateEl(v) {
  if (!v) return null;
  return h('time', { datetime: v }, ymd(v));
}

function budgetText(b) {
  if (!b || typeof b !== 'object') return null;
  const min = typeof b.min === 'number' ? formatCny(b.min) : null;
  const max = typeof b.max === 'number' ? formatCny(b.max) : null;
  if (min && max) return t('budget.range', { min, max });
  if (min) return t('budget.min', { min });
  if (max) return t('budget.max', { max });
  return null;
}

function codeList(dim, codes) {
  if (!codes || !codes.length) return null;
  return joinList(codes.map((c) => label(dim, c)));
}

// --- Page -------------------------------------------------------------------------------------

export async function render(ctx) {
  const { collection, id } = ctx.route;
  const main = ctx.main;
  main.dataset.page = `detail-${collection}`;
  setTitle(collectionOne(collection));
  const shell = h('div', { class: 'container page detail' }, loadingScreen());
  replace(main, shell);
  // An entity's talents and listings are asked for with the record and drawn with it: no list
  // grows, moving what follows, after the page is shown.
  const related = collection === 'entities' ? Promise.allSettled(['talents', 'listings'].map((c) =>
    api('/api/search', { params: { related_to: id, collections: c, per_page: 50, lang: lang() } }))) : null;

  let rec;
  let tokenInvalid = false;
  try {
    if (collection === 'listings') {
      ({ rec, tokenInvalid } = await loadListing(id));
    } else {
      rec = await api(`/api/${collection}/${encodeURIComponent(id)}`, { params: { lang: lang() } });
    }
  } catch (e) {
    if (!ctx.isCurrent()) return;
    if (e.status === 404) {
      renderNotFound(shell, collection, id);
      return;
    }
    replace(shell, pageTitle(t('error.title')), errorBlock(e, () => navigate(location.pathname + location.search, { replace: true, keepScroll: true })));
    return;
  }
  const lists = await related;
  if (!ctx.isCurrent()) return;

  const name = rec.display_name || (lang() === 'en' && rec.name_en) || loc(rec, 'name') || rec.title || rec.name || id;
  setTitle(name, collectionOne(collection));
  const page = layout(collection, rec, name);
  replace(shell, page.nodes);
  if (ctx.flash) page.top.appendChild(notice('success', ctx.flash));
  if (tokenInvalid) showBanner('error', t('error.401'));

  const tasks = [];
  switch (collection) {
    case 'entities': tasks.push(...entitySections(rec, page, lists)); break;
    case 'talents': tasks.push(...talentSections(rec, page)); break;
    case 'listings': tasks.push(...listingSections(rec, page, tokenInvalid)); break;
    case 'roadmaps': tasks.push(...roadmapSections(rec, page)); break;
    case 'industries': industrySections(rec, page); break;
    default:
  }
  await Promise.allSettled(tasks);
}

async function loadListing(id) {
  const token = getToken();
  const path = `/api/listings/${encodeURIComponent(id)}`;
  try {
    return { rec: await api(path, { params: { lang: lang() }, token: token || undefined }), tokenInvalid: false };
  } catch (e) {
    if (e.status === 401 && token) {
      return { rec: await api(path, { params: { lang: lang() } }), tokenInvalid: true };
    }
    throw e;
  }
}

function renderNotFound(shell, collection, id) {
  setTitle(t('notfound.title'));
  replace(shell, h('div', { class: 'narrow not-found' },
    pageTitle(t('notfound.title'), { id: 'record-name' }),
    h('p', t('notfound.text', { id, c: label('collections', collection) })),
    h('ul', { class: 'link-list' },
      h('li', h('a', { href: withLang(`/?q=${encodeURIComponent(id)}`) }, t('notfound.search', { id }))),
      h('li', h('a', { href: withLang(`/?collections=${collection}`) }, label('collections', collection))),
      h('li', h('a', { href: withLang('/') }, t('notfound.back'))))));
}

/** The common frame: breadcrumb, title block, description, facts; returns slots to fill. */
function layout(collection, rec, name) {
  const L = lang();
  const subtitle = [];
  if (L !== 'en' && rec.name_en && rec.name_en !== name) subtitle.push(h('p', { class: 'name-en', lang: 'en' }, rec.name_en));
  const original = rec.name || rec.title;
  if (L === 'en' && original && original !== name) subtitle.push(h('p', { class: 'name-zh', lang: 'zh' }, original));

  const top = h('div', { class: 'detail-top' });
  const head = h('header', { class: 'detail-head' },
    h('nav', { class: 'breadcrumb', 'aria-label': t('detail.breadcrumb') },
      h('ol',
        h('li', h('a', { href: withLang('/') }, t('site.home'))),
        h('li', h('a', { href: withLang(`/?collections=${collection}`) }, label('collections', collection))),
        h('li', h('span', { 'aria-current': 'page' }, name)))),
    h('div', { class: 'badges' },
      collectionBadge(collection),
      collection === 'listings' ? listingKindBadge(rec.kind) : kindBadge(collection, rec.kind),
      collection === 'listings' ? statusBadge(rec.status, rec.expires_at) : null,
      cityBadge(rec.city)),
    pageTitle(name, { id: 'record-name' }),
    subtitle,
    h('p', { class: 'detail-updated' }, liveness(rec)));

  const mainCol = h('div', { class: 'detail-main' });
  const side = h('div', { class: 'detail-side' });

  // Description in the interface script, plus the English (or Chinese original) text.
  const desc = loc(rec, 'description');
  const descBlocks = [];
  const named = rec.mentions || [];
  if (!isBlank(desc)) descBlocks.push(prose(desc, {}, named));
  if (L !== 'en' && !isBlank(rec.description_en) && rec.description_en !== desc) {
    descBlocks.push(h('div', { class: 'english-block' }, h('h3', { class: 'h-small' }, t('detail.description_en')), prose(rec.description_en, { lang: 'en' }, named)));
  }
  if (L === 'en' && !isBlank(rec.description) && rec.description !== desc) {
    descBlocks.push(h('details', { class: 'original-block' }, h('summary', t('detail.original')), prose(rec.description, { lang: 'zh' }, named)));
  }
  if (descBlocks.length) mainCol.appendChild(section('description', t('detail.description'), descBlocks));

  const facts = h('section', { class: 'detail-section facts-section', 'aria-labelledby': 'facts-h' }, h('h2', { id: 'facts-h' }, t('detail.facts')));
  side.appendChild(facts);

  const body = h('div', { class: 'detail-body' }, mainCol, side);
  return { nodes: [top, head, body], top, mainCol, side, facts };
}

function exploreLinks(rec) {
  const links = [];
  const clusters = rec.clusters || [];
  if (rec.city && clusters[0]) {
    links.push(h('li', h('a', { href: withLang(`/?city=${rec.city}&cluster=${clusters[0]}`) },
      t('detail.same_city_cluster', { city: label('city', rec.city), cluster: label('cluster', clusters[0]) }))));
  }
  for (const c of clusters.slice(0, 3)) {
    links.push(h('li', h('a', { href: withLang(`/?cluster=${c}`) }, t('detail.same_cluster', { cluster: label('cluster', c) }))));
  }
  if (!links.length) return null;
  return section(null, t('detail.explore'), h('ul', { class: 'link-list' }, links));
}

function commonFacts(rec) {
  return [
    [t('field.city'), rec.city ? label('city', rec.city) : null],
    [t('field.clusters'), codeList('cluster', rec.clusters)],
    [t('field.fields'), tagList(loc(rec, 'fields'))],
  ];
}

// --- Entities ---------------------------------------------------------------------------------

function relatedList(hits, collection) {
  return h('ul', { class: 'related-list' }, hits.map((hit) => h('li', { class: 'related', 'data-collection': collection, 'data-id': hit.id },
    h('a', { href: recordPath(hit.collection, hit.id), class: 'related-link' }, hit.name || hit.id),
    h('span', { class: 'badges' },
      collection === 'listings' ? listingKindBadge(hit.kind) : null,
      clusterBadges((hit.clusters || []).slice(0, 2)),
      collection === 'listings' ? liveness(hit) : null))));
}

/** An entity's records of `collection` from a settled search, or why there are none. */
function relatedBlock(rec, collection, answer, noneKey) {
  if (answer.status === 'rejected') return errorBlock(answer.reason);
  const res = answer.value;
  if (!res.hits.length) return h('p', { class: 'hint' }, t(noneKey));
  return [relatedList(res.hits, collection),
    res.total > res.hits.length ? h('p', h('a', { href: withLang(`/?related_to=${encodeURIComponent(rec.id)}&collections=${collection}`) }, t('detail.see_all', { n: res.total }))) : null];
}

/** `lists`: the settled searches of the entity's talents and listings. */
function entitySections(rec, page, lists) {
  page.facts.appendChild(factList([
    [t('field.kind'), rec.kind ? label('kind', rec.kind) : null],
    ...commonFacts(rec),
    [t('field.founded'), rec.founded ? String(rec.founded) : null],
    [t('field.website'), rec.website && /^https?:\/\//i.test(rec.website) ? h('a', { href: rec.website, rel: 'noopener noreferrer', class: 'external' }, rec.website.replace(/^https?:\/\//i, '').replace(/\/$/, '')) : null],
    [t('field.aliases'), isBlank(loc(rec, 'aliases')) ? null : joinList(loc(rec, 'aliases'))],
  ]));
  const caps = loc(rec, 'capabilities');
  if (!isBlank(caps)) page.mainCol.appendChild(section('capabilities', t('field.capabilities'), prose(caps, {}, rec.mentions)));

  const [talents, listings] = lists;
  page.mainCol.appendChild(section('entity-talents', t('detail.talents'), h('div', relatedBlock(rec, 'talents', talents, 'detail.none_talents'))));
  page.mainCol.appendChild(section('entity-listings', t('detail.listings'), h('div', relatedBlock(rec, 'listings', listings, 'detail.none_listings'))));
  const explore = exploreLinks(rec);
  if (explore) page.side.appendChild(explore);
  return [needsSection('entities', rec, page), contactSections('entities', rec, page)];
}

// The open needs an expert or an organisation could answer, with their reasons.
function needsSection(collection, rec, page) {
  const body = h('div', loadingScreen());
  page.mainCol.appendChild(section('fitting-needs', t('detail.fitting_needs'), h('p', { class: 'hint' }, t('detail.fitting_needs_intro')), body));
  return api(`/api/${collection}/${seg(rec.id)}/matches`, { params: { lang: lang(), limit: 5 } })
    .then((res) => {
      const list = res.matches || [];
      replace(body, list.length ? h('div', { class: 'match-list' }, list.map((m) => matchItem(m))) : h('p', { class: 'hint' }, t('detail.no_fitting_needs')));
    })
    .catch((e) => replace(body, errorBlock(e)));
}

// --- Talents ----------------------------------------------------------------------------------

function talentSections(rec, page) {
  const affSlot = rec.affiliation ? h('span', { class: 'affiliation' }, h('a', { class: 'affiliation-link', href: recordPath('entities', rec.affiliation) }, rec.affiliation)) : null;
  page.facts.appendChild(factList([
    [t('field.title'), loc(rec, 'title')],
    [t('field.affiliation'), affSlot],
    ...commonFacts(rec),
    [t('field.honors'), tagList(loc(rec, 'honors'))],
  ]));
  const expertise = loc(rec, 'expertise');
  if (!isBlank(expertise)) page.mainCol.insertBefore(section('expertise', t('field.expertise'), prose(expertise, {}, rec.mentions)), page.mainCol.firstChild);
  const explore = exploreLinks(rec);
  if (explore) page.side.appendChild(explore);
  const needs = needsSection('talents', rec, page);
  if (!rec.affiliation) return [needs];
  return [needs, contactSections('talents', rec, page), recordName('entities', rec.affiliation).then((n) => {
    const a = affSlot.querySelector('a');
    if (n) a.textContent = n;
  })];
}

// --- Roadmaps ---------------------------------------------------------------------------------

function roadmapSections(rec, page) {
  page.facts.appendChild(factList([
    [t('field.horizon'), rec.horizon ? String(rec.horizon) : null],
    [t('field.trl'), trlMeter(rec.trl)],
    ...commonFacts(rec),
  ]));
  const milestones = loc(rec, 'milestones');
  if (Array.isArray(milestones) && milestones.length) {
    const items = [...milestones].sort((a, b) => (a.year || 0) - (b.year || 0));
    page.mainCol.appendChild(section('milestones', t('detail.milestones'),
      h('ol', { class: 'timeline' }, items.map((m) => h('li', { class: 'milestone' },
        h('span', { class: 'milestone-year' }, m.year ? String(m.year) : ''),
        h('span', { class: 'milestone-target' }, m.target || ''))))));
  }
  const bottlenecks = loc(rec, 'bottlenecks') || [];
  const body = h('div', { class: 'bottleneck-list' });
  page.mainCol.appendChild(section('bottlenecks', t('detail.bottlenecks'), h('p', { class: 'hint' }, t('detail.bottleneck_intro')), body));
  const explore = exploreLinks(rec);
  if (explore) page.side.appendChild(explore);

  if (!bottlenecks.length) {
    replace(body, h('p', { class: 'hint' }, t('detail.no_bottlenecks')));
    return [];
  }
  const item = (text, matches, extra) => h('article', { class: 'bottleneck' },
    h('h3', { class: 'bottleneck-title' }, h('span', { class: 'bottleneck-mark', 'aria-hidden': 'true' }, '⚠'), ' ', text),
    matches && matches.length ? h('div', { class: 'match-list' }, matches.map((m) => matchItem(m, 'h4'))) : null,
    matches && !matches.length ? h('p', { class: 'hint' }, t('detail.no_matches')) : null,
    extra || null);
  replace(body, bottlenecks.map((b) => item(b, null, loading())));
  return [api(`/api/roadmaps/${encodeURIComponent(rec.id)}/matches`, { params: { lang: lang(), limit: 5 } })
    .then((res) => {
      const list = res.bottlenecks || [];
      replace(body, bottlenecks.map((b, i) => item(list[i] ? list[i].bottleneck || b : b, list[i] ? list[i].matches : [])));
    })
    .catch((e) => {
      replace(body, bottlenecks.map((b) => item(b, null)), errorBlock(e));
    })];
}

// --- Industries -------------------------------------------------------------------------------

function industrySections(rec, page) {
  page.facts.appendChild(factList([
    [t('field.year'), rec.year ? String(rec.year) : null],
    [t('field.chain_position'), rec.chain_position ? label('chain_position', rec.chain_position) : null],
    ...commonFacts(rec),
  ]));
  const ind = rec.indicators && typeof rec.indicators === 'object' ? Object.entries(rec.indicators) : [];
  const capId = nextId('cap');
  page.mainCol.appendChild(section('indicators', t('detail.indicators'), ind.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data-table', 'aria-describedby': capId },
      h('caption', { id: capId }, `${t('detail.indicators')}${rec.year ? ` · ${rec.year}` : ''}`),
      h('thead', h('tr', h('th', { scope: 'col' }, t('detail.indicator')), h('th', { scope: 'col', class: 'num' }, t('detail.value')))),
      h('tbody', ind.map(([k, v]) => h('tr', h('th', { scope: 'row' }, label('indicator', k)),
        h('td', { class: 'num' }, typeof v === 'number' ? formatNumber(v) : String(v)))))))
    : h('p', { class: 'hint' }, t('detail.no_indicators'))));
  const explore = exploreLinks(rec);
  if (explore) page.side.appendChild(explore);
}

// --- Listings ---------------------------------------------------------------------------------

function reload(flash, focus) {
  navigate(window.location.pathname + window.location.search, { replace: true, keepScroll: true, flash, focus });
}


function listingSections(rec, page, tokenInvalid) {
  const ownerSlot = rec.owner ? h('a', { class: 'owner-link', href: recordPath('entities', rec.owner) }, rec.owner) : null;
  page.facts.appendChild(factList([
    [t('field.kind'), rec.kind ? label('kind', rec.kind) : null],
    [t('field.status'), statusBadge(rec.status, rec.expires_at)],
    [t('field.owner'), ownerSlot],
    ...commonFacts(rec),
    [t('field.cooperation'), codeList('cooperation', rec.cooperation)],
    [t('field.trl'), trlMeter(rec.trl)],
    [t('field.budget'), budgetText(rec.budget_cny)],
    [t('field.expires_at'), dateEl(rec.expires_at)],
    [t('field.created_at'), dateEl(rec.created_at)],
    [t('field.updated_at'), dateEl(rec.updated_at)],
    [t('field.last_confirmed_at'), dateEl(rec.last_confirmed_at)],
    [t('field.id'), h('code', rec.id)],
  ]));
  const extra = [];
  const ip = loc(rec, 'ip_status');
  const benefit = loc(rec, 'benefit');
  if (!isBlank(ip)) extra.push(h('div', h('h3', { class: 'h-small' }, t('field.ip_status')), prose(ip)));
  if (!isBlank(benefit)) extra.push(h('div', h('h3', { class: 'h-small' }, t('field.benefit')), prose(benefit, {}, rec.mentions)));
  if (extra.length) page.mainCol.appendChild(section('listing-more', t('form.more'), extra));
  // Owner-only parts: the contact, the interest received.
  const contactSlot = h('div', { class: 'slot' });
  const showContact = (contact) => replace(contactSlot, contact && typeof contact === 'object'
    ? section('listing-contact', t('field.contact'), contactList(contact)) : null);
  showContact(rec.contact);
  page.mainCol.appendChild(contactSlot);

  const matchesBody = h('div', loadingScreen());
  page.mainCol.appendChild(section('matches', t('detail.matches'), h('p', { class: 'hint' }, t('detail.matches_intro')), matchesBody));
  const interestsSlot = h('div', { class: 'slot' });
  page.mainCol.appendChild(interestsSlot);

  const tasks = [];
  if (rec.owner) {
    tasks.push(recordName('entities', rec.owner).then((n) => { if (n) ownerSlot.textContent = n; }));
  }
  tasks.push(api(`/api/listings/${seg(rec.id)}/matches`, { params: { lang: lang(), limit: 10 } })
    .then((res) => {
      const list = res.matches || [];
      replace(matchesBody, list.length ? h('div', { class: 'match-list' }, list.map((m) => matchItem(m))) : h('p', { class: 'hint' }, t('detail.no_matches')));
    })
    .catch((e) => replace(matchesBody, errorBlock(e))));

  // Owner tools, the interest form, the token. A new token updates these in place (the rest of
  // the page, and a half-written message, stay as they are).
  const manageSlot = h('div', { class: 'slot' });
  const interestSlot = h('div', { class: 'slot' });
  page.side.insertBefore(manageSlot, page.side.firstChild);
  page.side.appendChild(interestSlot);
  page.side.appendChild(tokenPanel(() => ownerTools(true)));
  const explore = exploreLinks(rec);
  if (explore) page.side.appendChild(explore);
  const withdrawn = rec.status === 'withdrawn';
  let run = 0;

  async function ownerTools(changed) {
    const mine = ++run;
    const token = getToken();
    let owner = null; // true, false (403) or null (unknown / no token)
    let interests = null;
    let invalid = false;
    if (token) {
      // Who the token acts for; the owner (or a moderator) then reads the interest received.
      try {
        const me = await api('/api/tokens/me', { token: true });
        owner = me.admin || me.owner === rec.owner;
        if (owner) interests = await api(`/api/listings/${seg(rec.id)}/interest`, { token: true });
      } catch (e) {
        if (e.status === 401) invalid = true;
      }
    }
    if (mine !== run) return;
    if (invalid || (!changed && tokenInvalid)) showBanner('error', t('error.401'));
    else if (changed) clearBanner();
    replace(manageSlot, token ? managePanel(rec, owner) : null);
    replace(interestsSlot, owner ? section('interests', t('interest.list'), interestList(interests)) : null);
    if (owner && changed && !contactSlot.firstChild) {
      try {
        const full = await api(`/api/listings/${seg(rec.id)}`, { token: true });
        if (mine === run) showContact(full.contact);
      } catch { /* the contact stays hidden */ }
    } else if (!owner) {
      showContact(null);
    }
    if (owner) {
      replace(interestSlot); // an organisation cannot express interest in its own listing
    } else if (!interestSlot.querySelector('form#interest-form, .notice')) {
      const form = interestForm(`/api/listings/${seg(rec.id)}/interest`, t('interest.intro'), t('interest.sent'));
      replace(interestSlot, withdrawn ? notice('info', t('interest.closed')) : form);
    }
  }
  tasks.push(ownerTools(false));
  return tasks;
}

function contactList(contact) {
  const rows = [];
  const order = ['name', 'email', 'phone'];
  const keys = [...order.filter((k) => k in contact), ...Object.keys(contact).filter((k) => !order.includes(k))];
  for (const [k, v] of keys.map((k) => [k, contact[k]])) {
    if (isBlank(v)) continue;
    const key = { name: 'form.contact_name', email: 'form.contact_email', phone: 'form.contact_phone' }[k];
    let value = String(v);
    if (k === 'email') value = h('a', { href: `mailto:${v}` }, String(v));
    else if (k === 'phone') value = h('a', { href: `tel:${String(v).replace(/[^+\d]/g, '')}` }, String(v));
    rows.push([key ? t(key) : k, value]);
  }
  return factList(rows);
}

/** Edit / renew / withdraw. `owner`: true, false (403), or null (unknown). */
function managePanel(rec, owner) {
  const id = seg(rec.id);
  const msg = h('p', { id: 'action-message', class: 'action-message', role: 'status' });
  const withdrawn = rec.status === 'withdrawn';
  const renew = h('button', { type: 'button', id: 'renew', class: 'btn btn-primary' }, t('actions.renew'));
  const withdraw = h('button', { type: 'button', id: 'withdraw', class: 'btn btn-danger' }, t('actions.withdraw'));
  const edit = h('a', { id: 'edit', class: 'btn btn-secondary', href: `/listings/${id}/edit` }, t('actions.edit'));

  const run = async (button, fn) => {
    button.disabled = true;
    msg.textContent = t('actions.working');
    try {
      await fn();
    } catch (e) {
      showBanner('error', errorText(e));
      msg.textContent = errorText(e);
    } finally {
      button.disabled = false;
    }
  };
  renew.addEventListener('click', () => run(renew, async () => {
    const r = await api(`/api/listings/${id}/confirm`, { method: 'POST', token: true });
    reload(t('actions.renewed', { d: ymd(r.expires_at) }));
  }));
  withdraw.addEventListener('click', () => {
    if (!window.confirm(t('actions.withdraw_confirm'))) return;
    run(withdraw, async () => {
      await api(`/api/listings/${id}`, { method: 'DELETE', token: true });
      reload(t('actions.withdrawn'));
    });
  });

  const note = owner === true ? t('actions.owner') : owner === false ? t('actions.not_owner') : null;
  return h('section', { class: 'manage-panel', 'aria-labelledby': 'manage-h' },
    h('h2', { id: 'manage-h', class: 'h-small' }, t('actions.title')),
    note ? h('p', { class: owner === false ? 'hint warn' : 'hint' }, note) : null,
    withdrawn
      ? h('p', { class: 'hint' }, t('form.withdrawn'))
      : h('div', { class: 'actions' }, edit, renew, withdraw),
    msg);
}

function interestList(list) {
  if (!list || !list.length) return h('p', { class: 'hint' }, t('interest.none'));
  return h('ol', { class: 'interest-list' }, list.map((it) => h('li', { class: 'interest' },
    h('p', { class: 'interest-head' },
      h('span', `${t('interest.from')}${t('colon')}`),
      it.from ? h('a', { href: recordPath('entities', it.from) }, it.from_name || it.from) : it.from_name || '',
      ' · ', dateEl(it.created_at)),
    h('p', { class: 'interest-message' }, it.message),
    it.contact && typeof it.contact === 'object' ? contactList(it.contact) : null)));
}

/**
 * A first contact with an organisation or an expert (`collection` entities or talents): the
 * form for others, the messages received for the organisation addressed (the expert's
 * affiliation) and moderators. Nothing for an expert without an organisation to pass it on.
 */
function contactSections(collection, rec, page) {
  const recipient = collection === 'entities' ? rec.id : rec.affiliation;
  if (!recipient) return Promise.resolve();
  const path = `/api/${collection}/${seg(rec.id)}/interest`;
  const received = h('div', { class: 'slot' });
  const formSlot = h('div', { class: 'slot' });
  page.mainCol.appendChild(received);
  page.side.appendChild(formSlot);
  page.side.appendChild(tokenPanel(() => tools(true)));
  let run = 0;
  async function tools(changed) {
    const mine = ++run;
    let addressed = false;
    let list = null;
    let invalid = false;
    if (getToken()) {
      try {
        const me = await api('/api/tokens/me', { token: true });
        addressed = me.admin || me.owner === recipient;
        if (addressed) list = await api(path, { token: true });
      } catch (e) {
        if (e.status === 401) invalid = true;
      }
    }
    if (mine !== run) return;
    if (invalid) showBanner('error', t('error.401'));
    else if (changed) clearBanner();
    replace(received, addressed ? section('interests', t('interest.list'), interestList(list)) : null);
    if (addressed) {
      replace(formSlot); // not to oneself
    } else if (!formSlot.querySelector('form#interest-form')) {
      const intro = t(collection === 'entities' ? 'interest.intro_entity' : 'interest.intro_talent');
      const sent = t(collection === 'entities' ? 'interest.sent_entity' : 'interest.sent_talent');
      replace(formSlot, interestForm(path, intro, sent));
    }
  }
  return tools(false);
}

/** The form that sends a message and a contact to `path`, introduced by `intro`; `sent` on success. */
function interestForm(path, intro, sent) {
  const result = h('div', { id: 'interest-message', class: 'form-message', 'aria-live': 'polite' });
  const errMessage = h('p', { class: 'field-error', 'data-field': 'message', id: 'interest-err-message', hidden: true });
  const errContact = h('p', { class: 'field-error', 'data-field': 'contact', id: 'interest-err-contact', hidden: true });
  const message = h('textarea', { id: 'interest-text', name: 'message', rows: '4', class: 'input', maxlength: '2000' });
  const cname = h('input', { id: 'interest-name', name: 'contact_name', type: 'text', class: 'input', autocomplete: 'name' });
  const cemail = h('input', { id: 'interest-email', name: 'contact_email', type: 'email', class: 'input', autocomplete: 'email' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('interest.submit'));
  const form = h('form', { id: 'interest-form', class: 'stack-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'interest-text', class: 'label' }, t('interest.message')), message, errMessage),
    h('div', { class: 'field' }, h('label', { for: 'interest-name', class: 'label' }, t('interest.contact_name')), cname),
    h('div', { class: 'field' }, h('label', { for: 'interest-email', class: 'label' }, t('interest.contact_email')), cemail, errContact),
    submit);

  const clearErrors = () => {
    for (const [el, err] of [[message, errMessage], [cname, errContact], [cemail, errContact]]) {
      el.removeAttribute('aria-invalid');
      el.removeAttribute('aria-describedby');
      err.hidden = true;
      err.textContent = '';
    }
  };
  const show = (kind, text) => replace(result, notice(kind, text));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors();
    if (!ensureToken()) {
      show('error', t('interest.need_token'));
      return;
    }
    const body = { message: message.value.trim() };
    const contact = {};
    if (cname.value.trim()) contact.name = cname.value.trim();
    if (cemail.value.trim()) contact.email = cemail.value.trim();
    if (Object.keys(contact).length) body.contact = contact;
    submit.disabled = true;
    replace(result, h('p', { role: 'status' }, t('form.submitting')));
    try {
      await api(path, { method: 'POST', body, token: true });
      show('success', sent);
      form.reset();
    } catch (e) {
      if (e.status === 422 && e.fields.length) {
        for (const f of e.fields) {
          const target = f.field === 'message' ? [[message, errMessage]] : [[cname, errContact], [cemail, errContact]];
          for (const [el, err] of target) {
            el.setAttribute('aria-invalid', 'true');
            el.setAttribute('aria-describedby', err.id);
            const local = lang() !== 'en' ? fieldError(f.field) : null;
            replace(err, local || h('span', { lang: 'en', class: 'api-message' }, f.message));
            err.hidden = false;
          }
        }
        show('error', e.fields.length === 1 ? t('form.invalid_one') : t('form.invalid', { n: e.fields.length }));
        (e.fields[0].field === 'message' ? message : cname).focus();
      } else {
        if (e.status === 401 || e.status === 403) showBanner('error', errorText(e));
        show('error', errorText(e));
      }
    } finally {
      submit.disabled = false;
    }
  });

  const hid = nextId('h');
  return h('section', { id: 'interest', class: 'interest-panel', 'aria-labelledby': hid },
    h('h2', { id: hid, class: 'h-small' }, t('interest.title')),
    h('p', { class: 'hint' }, intro),
    form, result);
}
