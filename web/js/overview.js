// `/overview`: from /api/stats, a schematic map of the 11 cities sized by record count and a
// stacked bar chart of city × cluster, each with its numbers in a table.

import { t, label, lang, COLLECTIONS, CITIES, CLUSTERS, formatNumber, joinList } from '../i18n.js';
import { h, s, replace, debounce, nextId } from './dom.js';
import { api } from './api.js';
import { navigate, withLang } from './router.js';
import { pageTitle, setTitle, loadingScreen, errorBlock } from './ui.js';

/** Schematic positions on a 600 × 440 frame, after the real geography around the estuary. */
const POS = {
  zhaoqing: [55, 95],
  guangzhou: [258, 70],
  foshan: [178, 140],
  dongguan: [390, 122],
  huizhou: [545, 82],
  shenzhen: [452, 252],
  hongkong: [510, 362],
  jiangmen: [148, 272],
  zhongshan: [268, 268],
  zhuhai: [338, 352],
  macau: [272, 398],
};
const FRAME_W = 600;
const FRAME_H = 462;

const COLORS = {
  electronics: '#1f5fa8',
  automotive: '#c0392b',
  smart_appliances: '#7d4fb0',
  robotics: '#e07b00',
  green_petrochem: '#2e8540',
  biomedicine: '#d0489b',
  new_materials: '#8a5a33',
  new_energy: '#109fa8',
  semiconductors: '#5c6670',
  ai: '#a8a800',
  other: '#b8bec4',
  none: '#e2e5e8',
};

function cityTotals(stats, which) {
  const out = {};
  const cols = which ? [which] : Object.keys(stats.collections || {});
  for (const c of cols) {
    const cs = (stats.collections || {})[c];
    if (!cs) continue;
    for (const [city, v] of Object.entries(cs.cities || {})) {
      const o = out[city] || (out[city] = { total: 0, clusters: {} });
      o.total += v.total || 0;
      for (const [k, n] of Object.entries(v.clusters || {})) o.clusters[k] = (o.clusters[k] || 0) + n;
    }
  }
  return out;
}

function searchHref(which, city, cluster) {
  const p = new URLSearchParams();
  if (which) p.set('collections', which);
  if (city) p.set('city', city);
  if (cluster) p.set('cluster', cluster);
  return withLang(`/?${p.toString()}`);
}

export async function render(ctx) {
  const main = ctx.main;
  main.dataset.page = 'overview';
  setTitle(t('overview.title'));
  const shell = h('div', { class: 'container page overview' }, pageTitle(t('overview.title')), loadingScreen());
  replace(main, shell);
  let stats;
  try {
    stats = await api('/api/stats');
  } catch (e) {
    if (!ctx.isCurrent()) return;
    replace(shell, pageTitle(t('overview.title')), errorBlock(e, () => navigate(location.pathname + location.search, { replace: true })));
    return;
  }
  if (!ctx.isCurrent()) return;
  const wanted = ctx.params.get('collections');
  const which = wanted && COLLECTIONS[wanted] ? wanted : '';
  const whatLabel = which ? label('collections', which) : t('overview.all');

  // Key figures.
  const figures = h('ul', { class: 'key-figures' },
    h('li', { class: 'key-figure' }, h('span', { class: 'kf-num' }, formatNumber(stats.total || 0)), h('span', { class: 'kf-label' }, t('overview.all'))),
    Object.keys(COLLECTIONS).map((c) => h('li', { class: 'key-figure' },
      h('a', { href: searchHref(c) },
        h('span', { class: 'kf-num' }, formatNumber(((stats.collections || {})[c] || {}).total || 0)),
        h('span', { class: 'kf-label' }, label('collections', c))))));

  // Scope switch.
  const scopeName = 'overview-scope';
  const scope = h('fieldset', { class: 'scope' },
    h('legend', { class: 'label' }, t('overview.show')),
    h('div', { class: 'segmented' }, ['', ...Object.keys(COLLECTIONS)].map((c) => {
      const id = `scope-${c || 'all'}`;
      const input = h('input', { type: 'radio', name: scopeName, id, value: c, checked: c === which });
      input.addEventListener('change', () => {
        if (!input.checked) return;
        navigate(withLang(c ? `/overview?collections=${c}` : '/overview'), { keepScroll: true, focus: id });
      });
      return h('span', { class: 'seg' }, input, h('label', { for: id }, c ? label('collections', c) : t('overview.all')));
    })));

  const totals = cityTotals(stats, which);
  const mapFig = mapFigure(totals, which, whatLabel);
  const barFig = barFigure(totals, which, whatLabel);

  replace(shell, pageTitle(t('overview.title')), h('p', { class: 'lead' }, t('overview.intro')),
    h('section', { 'aria-label': t('overview.by_collection') }, figures),
    scope, mapFig.el, barFig.el);

  // Redraw the charts at the width they get (text stays readable on a phone).
  const redraw = debounce(() => {
    if (!document.body.contains(mapFig.el)) { ro.disconnect(); return; }
    mapFig.draw();
    barFig.draw();
  }, 120);
  const ro = new ResizeObserver(redraw);
  ro.observe(mapFig.holder);
  mapFig.draw();
  barFig.draw();
}

// --- Map ----------------------------------------------------------------------------------------

function mapFigure(totals, which, whatLabel) {
  const cities = Object.keys(CITIES);
  const max = Math.max(1, ...cities.map((c) => (totals[c] || {}).total || 0));
  const titleText = t('overview.map_title', { what: whatLabel });
  const holder = h('div', { class: 'chart-holder map-holder' });
  const sorted = [...cities].sort((a, b) => ((totals[b] || {}).total || 0) - ((totals[a] || {}).total || 0));
  const aria = t('overview.map_aria', {
    what: whatLabel,
    list: joinList(sorted.map((c) => `${label('city', c)} ${(totals[c] || {}).total || 0}`)),
  });
  const capId = nextId('cap');
  const table = h('table', { class: 'data-table compact' },
    h('caption', { class: 'sr-only' }, titleText),
    h('thead', h('tr', h('th', { scope: 'col' }, t('overview.city')), h('th', { scope: 'col', class: 'num' }, t('overview.records')))),
    h('tbody', sorted.map((c) => h('tr',
      h('th', { scope: 'row' }, h('a', { href: searchHref(which, c) }, label('city', c))),
      h('td', { class: 'num' }, formatNumber((totals[c] || {}).total || 0))))),
    totals.none ? h('tfoot', h('tr', h('th', { scope: 'row' }, t('overview.no_city')), h('td', { class: 'num' }, formatNumber(totals.none.total)))) : null);
  const el = h('figure', { id: 'map', class: 'chart-figure', 'aria-labelledby': capId },
    h('figcaption', { id: capId }, h('span', { class: 'fig-title' }, titleText), h('span', { class: 'fig-caption' }, t('overview.map_caption'))),
    h('div', { class: 'chart-grid' }, holder, h('div', { class: 'table-wrap' }, table)));

  function draw() {
    const W = Math.max(280, Math.min(640, holder.clientWidth || 600));
    const k = W / FRAME_W;
    const H = Math.round(FRAME_H * k);
    const rmax = 44 * Math.max(0.75, k);
    const fs = 13;
    const titleId = nextId('map-title');
    const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': aria, class: 'chart map' },
      s('title', { id: titleId }, titleText));
    // Land, then water: the Pearl River estuary opening south into the sea (schematic).
    const P = (x, y) => `${(x * k).toFixed(1)},${(y * k).toFixed(1)}`;
    svg.appendChild(s('rect', { x: 0, y: 0, width: W, height: H, fill: '#f4f2ec', class: 'land' }));
    const water = [
      'M', P(336, 112), 'C', P(352, 110), P(358, 150), P(372, 182),
      'S', P(405, 262), P(425, 318), 'S', P(452, 372), P(478, 382),
      'C', P(530, 392), P(570, 384), P(600, 388), 'L', P(600, 462), 'L', P(0, 462), 'L', P(0, 424),
      'C', P(80, 430), P(170, 432), P(222, 424), 'S', P(290, 412), P(318, 404),
      'S', P(372, 396), P(378, 352), 'S', P(352, 290), P(346, 262),
      'S', P(328, 170), P(336, 112), 'Z',
    ].join(' ');
    svg.appendChild(s('path', { d: water, class: 'water', fill: '#d3e6f3', stroke: '#a9cbe2', 'stroke-width': '1' }));
    // Rivers: the Pearl River up to Guangzhou, the West River from Zhaoqing down to the sea.
    const river = (pts) => `M${P(...pts[0])} C${pts.slice(1).map((p) => P(...p)).join(' ')}`;
    svg.appendChild(s('path', { d: river([[340, 116], [318, 92], [300, 80], [262, 72]]), fill: 'none', stroke: '#a9cbe2', 'stroke-width': (5 * k).toFixed(1), 'stroke-linecap': 'round', class: 'river' }));
    svg.appendChild(s('path', { d: river([[60, 96], [150, 130], [205, 215], [222, 424]]), fill: 'none', stroke: '#a9cbe2', 'stroke-width': (4 * k).toFixed(1), 'stroke-linecap': 'round', class: 'river' }));
    svg.appendChild(s('text', { x: 110 * k, y: 450 * k, class: 'water-label', 'text-anchor': 'middle', 'font-size': fs - 1 }, t('overview.sea')));
    svg.appendChild(s('text', { x: 388 * k, y: 290 * k, class: 'water-label', 'text-anchor': 'middle', 'font-size': fs - 2, transform: `rotate(64 ${388 * k} ${290 * k})` }, t('overview.estuary')));
    // Cities, biggest first so small circles stay on top.
    const links = [];
    for (const c of sorted) {
      const n = (totals[c] || {}).total || 0;
      const [x0, y0] = POS[c];
      const x = x0 * k;
      const y = y0 * k;
      const r = Math.max(5, rmax * Math.sqrt(n / max));
      const name = label('city', c);
      const group = s('g', { class: 'map-city', 'data-city': c },
        s('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: r.toFixed(1), class: 'city-dot', fill: '#0b6e8a', 'fill-opacity': '0.78', stroke: '#ffffff', 'stroke-width': '1.5' }),
        s('text', { x: x.toFixed(1), y: (y + r + fs + 1).toFixed(1), 'text-anchor': 'middle', class: 'city-label', 'font-size': fs, 'paint-order': 'stroke', stroke: '#ffffff', 'stroke-width': '3', 'stroke-linejoin': 'round' },
          s('tspan', { class: 'city-name', 'font-weight': '600' }, name),
          s('tspan', { dx: '4', class: 'city-count' }, String(n))));
      svg.appendChild(group);
      // The link sits over the circle and its label, outside the SVG (an image may not hold
      // interactive content); positions are percentages, so they follow the SVG's scaling.
      const top = y - r;
      const bottom = y + r + fs + 5;
      const half = Math.max(r, (name.length + String(n).length) * fs * 0.45);
      const a = h('a', { href: searchHref(which, c), class: 'map-link', 'data-city': c, 'aria-label': `${name} ${n}`, title: `${name}: ${n}` });
      a.style.left = `${((x - half) / W) * 100}%`;
      a.style.top = `${(top / H) * 100}%`;
      a.style.width = `${((2 * half) / W) * 100}%`;
      a.style.height = `${((bottom - top) / H) * 100}%`;
      a.addEventListener('mouseenter', () => group.classList.add('is-hover'));
      a.addEventListener('mouseleave', () => group.classList.remove('is-hover'));
      a.addEventListener('focus', () => group.classList.add('is-hover'));
      a.addEventListener('blur', () => group.classList.remove('is-hover'));
      links.push(a);
    }
    replace(holder, h('div', { class: 'map-canvas' }, svg, h('div', { class: 'map-links' }, links)));
  }
  return { el, holder, draw };
}

// --- Stacked bars -------------------------------------------------------------------------------

function barFigure(totals, which, whatLabel) {
  const cities = Object.keys(CITIES).filter((c) => totals[c]);
  const hasNone = cities.some((c) => (totals[c].clusters || {}).none);
  const clusters = [...Object.keys(CLUSTERS), ...(hasNone ? ['none'] : [])];
  const sum = (c) => clusters.reduce((a, k) => a + ((totals[c].clusters || {})[k] || 0), 0);
  const sorted = [...cities].sort((a, b) => sum(b) - sum(a));
  const max = Math.max(1, ...sorted.map(sum));
  const clusterLabel = (k) => (k === 'none' ? t('overview.no_cluster') : label('cluster', k));
  const titleText = t('overview.bar_title', { what: whatLabel });
  // Top cells for the description.
  const cells = [];
  for (const c of cities) for (const k of clusters) cells.push([c, k, (totals[c].clusters || {})[k] || 0]);
  cells.sort((a, b) => b[2] - a[2]);
  const aria = t('overview.bar_aria', {
    what: whatLabel,
    list: joinList(cells.slice(0, 5).map(([c, k, n]) => `${label('city', c)} · ${clusterLabel(k)} ${n}`)),
  });
  const holder = h('div', { class: 'chart-holder bar-holder' });
  const legend = h('ul', { class: 'legend', 'aria-label': t('overview.legend') }, clusters.map((k) => {
    const sw = h('span', { class: 'swatch', 'aria-hidden': 'true' });
    sw.style.backgroundColor = COLORS[k] || '#999';
    return h('li', sw, h('a', { href: searchHref(which, '', k === 'none' ? '' : k) }, clusterLabel(k)));
  }));
  const capId = nextId('cap');
  const table = h('table', { class: 'data-table compact wide' },
    h('caption', { class: 'sr-only' }, titleText),
    h('thead', h('tr', h('th', { scope: 'col' }, t('overview.city')), h('th', { scope: 'col', class: 'num' }, t('overview.records')),
      clusters.map((k) => h('th', { scope: 'col', class: 'num' }, clusterLabel(k))))),
    h('tbody', sorted.map((c) => h('tr',
      h('th', { scope: 'row' }, h('a', { href: searchHref(which, c) }, label('city', c))),
      h('td', { class: 'num' }, formatNumber(totals[c].total)),
      clusters.map((k) => {
        const n = (totals[c].clusters || {})[k] || 0;
        return h('td', { class: n ? 'num' : 'num zero' }, n && k !== 'none' ? h('a', { href: searchHref(which, c, k), 'aria-label': `${label('city', c)} · ${clusterLabel(k)}: ${n}` }, String(n)) : String(n));
      })))));
  const el = h('figure', { id: 'city-cluster', class: 'chart-figure', 'aria-labelledby': capId },
    h('figcaption', { id: capId }, h('span', { class: 'fig-title' }, titleText), h('span', { class: 'fig-caption' }, t('overview.bar_caption'))),
    holder, legend,
    h('div', { class: 'table-wrap scroll-x', tabindex: '0', role: 'region', 'aria-label': t('overview.table_scroll') }, table));

  function draw() {
    const W = Math.max(300, Math.min(1100, holder.clientWidth || 800));
    const labelW = lang() === 'en' ? 84 : 56;
    const valueW = 40;
    const rowH = 26;
    const barH = 18;
    const top = 8;
    const H = top + sorted.length * rowH + 24;
    const plotW = W - labelW - valueW;
    const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': aria, class: 'chart bars' },
      s('title', titleText));
    // Grid lines.
    const step = niceStep(max);
    for (let v = 0; v <= max; v += step) {
      const x = labelW + (v / max) * plotW;
      svg.appendChild(s('line', { x1: x.toFixed(1), x2: x.toFixed(1), y1: top - 4, y2: H - 20, stroke: '#d5dbe0', 'stroke-width': '1' }));
      svg.appendChild(s('text', { x: x.toFixed(1), y: H - 6, 'text-anchor': 'middle', 'font-size': '11', class: 'axis-label' }, String(v)));
    }
    sorted.forEach((c, i) => {
      const y = top + i * rowH;
      svg.appendChild(s('text', { x: labelW - 8, y: y + barH - 4, 'text-anchor': 'end', 'font-size': '13', class: 'bar-label' }, label('city', c)));
      let x = labelW;
      for (const k of clusters) {
        const n = (totals[c].clusters || {})[k] || 0;
        if (!n) continue;
        const w = (n / max) * plotW;
        svg.appendChild(s('rect', { x: x.toFixed(2), y, width: Math.max(0.5, w).toFixed(2), height: barH, fill: COLORS[k] || '#999', stroke: '#ffffff', 'stroke-width': '0.75', class: 'seg' },
          s('title', `${label('city', c)} · ${clusterLabel(k)}: ${n}`)));
        x += w;
      }
      svg.appendChild(s('text', { x: (x + 6).toFixed(1), y: y + barH - 4, 'font-size': '12', class: 'bar-value' }, String(sum(c))));
    });
    replace(holder, svg);
  }
  return { el, holder, draw };
}

function niceStep(max) {
  const raw = max / 5;
  const pow = 10 ** Math.floor(Math.log10(raw || 1));
  const m = raw / pow;
  const nice = m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10;
  return Math.max(1, nice * pow);
}
