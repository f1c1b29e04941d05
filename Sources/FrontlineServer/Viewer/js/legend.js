/* The legend of the current style and date (GET styles/{style}/{date}/legend.json), drawn as SVG
 * swatches, and the source of every party colour the viewer draws itself: the style decides the
 * colours, the viewer copies none. */

import { getLegend } from './api.js';
import { $, el, svgEl } from './dom.js';
import { dataset, state } from './state.js';
import { load } from './status.js';

// For a party the legend does not show (none of its ground is on the map), in no style's palette.
const UNLISTED_COLOR = '#9e9e9e';

let entries = [];
const listeners = [];

/** Calls `fn` whenever new legend entries (and so party colours) arrive. */
export function onLegendChange(fn) { listeners.push(fn); }

/** `hex` (#rrggbb) with each channel times `f`: a darker outline of a fill. */
export function darker(hex, f) {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex || '');
  if (!m) return hex || '#333333';
  const n = parseInt(m[1], 16);
  const r = Math.round(((n >> 16) & 255) * f), g = Math.round(((n >> 8) & 255) * f), b = Math.round((n & 255) * f);
  return '#' + ((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1);
}

/** A party's name from its id (dates.json), or the name a feature carries. */
export function partyName(id, name) {
  if (name) return String(name);
  if (id === 'none') return 'no party';
  const party = (dataset.meta.parties || []).find((p) => p.id === id);
  if (party) return party.name;
  return id === undefined || id === null ? 'unknown' : String(id);
}

/** A party's colour in the current style: its legend entry's (party entries are labelled with the
 *  party's name), or a neutral grey when the legend does not list it. */
export function partyColor(id, name) {
  const label = partyName(id, name);
  const entry = entries.find((e) => (e.kind === 'fill' || e.kind === 'hatch') && e.color && (e.label === label || e.label === id));
  return entry ? entry.color : UNLISTED_COLOR;
}

/** A 28×16 SVG swatch for a legend entry {kind: fill|hatch|line|circle, color, opacity, outline, width, dash}. */
export function swatchFor(entry) {
  const w = 28, h = 16;
  const svg = svgEl('svg', { width: w, height: h, viewBox: '0 0 ' + w + ' ' + h, 'aria-hidden': 'true', focusable: 'false' });
  const color = entry.color || '#888888';
  const opacity = entry.opacity !== undefined && entry.opacity !== null && isFinite(Number(entry.opacity)) ? Number(entry.opacity) : 1;
  const outline = entry.outline || null;
  const width = isFinite(Number(entry.width)) && Number(entry.width) > 0 ? Math.min(Number(entry.width), 5) : 1.5;
  const dash = Array.isArray(entry.dash) && entry.dash.length ? entry.dash.map(Number).filter(isFinite).join(' ') : null;
  const box = { x: 1, y: 1, width: w - 2, height: h - 2 };
  switch (entry.kind) {
    case 'hatch': {
      svg.appendChild(svgEl('rect', Object.assign({ fill: color, 'fill-opacity': Math.min(opacity, 0.35) }, box)));
      const g = svgEl('g', { stroke: color, 'stroke-width': 1.5 });
      for (let x = -h; x < w; x += 5) g.appendChild(svgEl('line', { x1: x, y1: h - 1, x2: x + h - 2, y2: 1 }));
      const clipId = 'clip' + Math.random().toString(36).slice(2);
      const clip = svgEl('clipPath', { id: clipId });
      clip.appendChild(svgEl('rect', box));
      svg.appendChild(clip);
      g.setAttribute('clip-path', 'url(#' + clipId + ')');
      svg.appendChild(g);
      svg.appendChild(svgEl('rect', Object.assign({ fill: 'none', stroke: outline || darker(color, 0.7), 'stroke-width': 1 }, box)));
      break;
    }
    case 'line': {
      const attrs = { x1: 2, y1: h / 2, x2: w - 2, y2: h / 2, stroke: color, 'stroke-width': width, 'stroke-opacity': opacity };
      if (dash) attrs['stroke-dasharray'] = dash;
      svg.appendChild(svgEl('line', attrs));
      break;
    }
    case 'circle': {
      const attrs = { cx: w / 2, cy: h / 2, r: 4.5, fill: color, 'fill-opacity': opacity };
      if (outline) { attrs.stroke = outline; attrs['stroke-width'] = 1.5; }
      svg.appendChild(svgEl('circle', attrs));
      break;
    }
    case 'triangle': { // a peak
      const r = 5, cx = w / 2, cy = h / 2 + 1;
      const points = [[cx, cy - r], [cx + r * 0.866, cy + r / 2], [cx - r * 0.866, cy + r / 2]].map((p) => p.join(',')).join(' ');
      const attrs = { points, fill: color, 'fill-opacity': opacity };
      if (outline) { attrs.stroke = outline; attrs['stroke-width'] = 1.5; attrs['stroke-linejoin'] = 'round'; }
      svg.appendChild(svgEl('polygon', attrs));
      break;
    }
    default: { // fill
      const attrs = Object.assign({ fill: color, 'fill-opacity': opacity }, box);
      if (outline) { attrs.stroke = outline; attrs['stroke-width'] = 1; }
      if (dash && outline) attrs['stroke-dasharray'] = dash;
      svg.appendChild(svgEl('rect', attrs));
    }
  }
  return svg;
}

/** Loads and draws the legend of the state's style and date. */
export function refreshLegend() {
  return load('legend', getLegend(state.style, state.date), 'Legend',
    (body) => show(Array.isArray(body.entries) ? body.entries : []), () => show([]));
}

function show(list) {
  entries = list;
  const ul = $('legend');
  ul.textContent = '';
  if (!entries.length) ul.appendChild(el('li', 'empty', 'No legend for this map.'));
  entries.forEach((entry) => {
    const li = el('li');
    li.appendChild(swatchFor(entry));
    li.appendChild(el('span', null, entry.label));
    ul.appendChild(li);
  });
  listeners.forEach((fn) => fn());
}
