/* What the viewer shows, and its form in the address's hash
 * (#date=2022-03-26&style=default&from=2022-03-01&z=10&lat=39.8&lon=46.7), so that a view can be
 * bookmarked, shared and reloaded. */

import { humanDate, isDate } from './format.js';
import { setError } from './status.js';

/** The date, the style, and compare mode with its earlier date ("from"). */
export const state = { date: null, style: null, compare: false, from: null };

/** What the server said at start: dates.json (`meta`), the styles, the key dates sorted. */
export const dataset = { meta: {}, styles: [], keyDates: [] };

let hashTimer = null;
let lastHash = '';

/** The hash's parameters as an object. */
export function readHash() {
  const out = {};
  window.location.hash.replace(/^#/, '').split('&').forEach((part) => {
    if (!part) return;
    const i = part.indexOf('=');
    const k = decodeURIComponent(i < 0 ? part : part.slice(0, i));
    out[k] = i < 0 ? '' : decodeURIComponent(part.slice(i + 1).replace(/\+/g, ' '));
  });
  return out;
}

/** True when the hash is not the one the viewer wrote last (the user changed it). */
export function hashChangedOutside() { return window.location.hash !== lastHash; }

/** Notes the current hash as seen, so that its hashchange event is not taken for a new view. */
export function acceptHash() { lastHash = window.location.hash; }

/** Writes the state and the map's view {z, lat, lon} into the hash, without a history entry. */
export function writeHash(view) {
  clearTimeout(hashTimer);
  hashTimer = setTimeout(() => {
    const p = { date: state.date, style: state.style };
    if (state.compare && state.from) p.from = state.from;
    if (view) {
      p.z = String(view.z);
      p.lat = view.lat.toFixed(5);
      p.lon = view.lon.toFixed(5);
    }
    const h = '#' + Object.keys(p).map((k) => encodeURIComponent(k) + '=' + encodeURIComponent(p[k])).join('&');
    if (h === lastHash) return;
    lastHash = h;
    try {
      window.history.replaceState(null, '', h);
    } catch (e) {
      window.location.hash = h;
    }
  }, 100);
}

/** Applies the hash's date/style/from to the state, saying what it ignored (each on its own line,
 *  until an address without that fault); returns the view {z, lat, lon} it holds, or null. */
export function applyHash(h) {
  let problem = null;
  if (h.date && !isDate(h.date)) problem = 'Ignored the date in the address: "' + h.date + '" is not a YYYY-MM-DD date.';
  else if (h.date) state.date = h.date;
  setError('hash-date', problem);
  problem = null;
  if (h.style && !dataset.styles.some((s) => s.name === h.style)) problem = 'Unknown style in the address: "' + h.style + '"; showing "' + state.style + '".';
  else if (h.style) state.style = h.style;
  setError('hash-style', problem);
  problem = null;
  if (h.from !== undefined && !isDate(h.from)) problem = 'Ignored "from" in the address: "' + h.from + '" is not a YYYY-MM-DD date.';
  else if (h.from !== undefined) state.from = h.from;
  state.compare = h.from !== undefined && !problem;
  setError('hash-from', problem);
  if (!isDate(state.from)) state.compare = false;
  const z = parseFloat(h.z), lat = parseFloat(h.lat), lon = parseFloat(h.lon);
  if (isFinite(z) && isFinite(lat) && isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 360) {
    return { z: z, lat: lat, lon: lon };
  }
  return null;
}

/** A message when `date` lies outside the data's first…last days, else null. */
export function rangeProblem(date) {
  const meta = dataset.meta;
  if ((isDate(meta.first) && date < meta.first) || (isDate(meta.last) && date > meta.last)) {
    return humanDate(date) + ' is outside the data (' + humanDate(meta.first) + ' to ' + humanDate(meta.last) + ').';
  }
  return null;
}
