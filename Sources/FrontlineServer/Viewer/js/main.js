/* Frontline's web viewer: ES modules, no build step, no external URLs. Leaflet is the classic
 * script leaflet/leaflet.js (the global `L`). This module wires the others:
 *   api.js      the server's endpoints; errors carry the server's message
 *   state.js    date, style and compare mode, and their form in the address's hash
 *   status.js   "Loading…" and the error box, by part of the viewer
 *   timeline.js the key-date slider and the date field
 *   map.js      the Leaflet map; tiles.js its dated tile layer; legend.js the legend and the
 *               party colours; changes.js compare mode; events.js the events of the period
 *   dom.js, format.js  building elements; dates and numbers as text
 * When it has started, <body> gets data-ready="true"; js/page-errors.js reports what kept it from it. */

import { getDates, getStyles } from './api.js';
import { $ } from './dom.js';
import { addDays, formatISO, isDate } from './format.js';
import { fitChangesNextTime, refreshChanges, restyleChanges } from './changes.js';
import { clearEvents, refreshEvents } from './events.js';
import { onLegendChange, refreshLegend } from './legend.js';
import { createMap, currentView, map, setView } from './map.js';
import { acceptHash, applyHash, dataset, hashChangedOutside, rangeProblem, readHash, state, writeHash } from './state.js';
import { cancel, load, onErrorsChange, setError } from './status.js';
import { refreshTiles } from './tiles.js';
import { buildTimeline, previousKey, updateDateLine, updateTimeline } from './timeline.js';

let refreshTimer = null;

/** Shows the state in every control. */
function showState() {
  updateTimeline();
  $('compare').checked = state.compare;
  $('from-date').disabled = !state.compare;
  if (state.from && $('from-date').value !== state.from) $('from-date').value = state.from;
  if ($('style').value !== state.style) $('style').value = state.style;
}

function saveView() { writeHash(currentView()); }

function scheduleRefresh(delay) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refreshAll, delay);
  saveView();
}

function refreshAll() {
  // A date outside the data is refused here, with one message, instead of by three requests.
  const problem = rangeProblem(state.date);
  setError('range', problem);
  if (problem) {
    cancel('tiles');
    cancel('legend');
    clearEvents();
  } else {
    refreshTiles();
    refreshLegend();
    refreshEvents();
  }
  refreshChanges();
  saveView();
}

function setDate(date, delay) {
  if (!isDate(date)) {
    setError('input', 'Not a valid date: "' + date + '". Use YYYY-MM-DD.');
    return;
  }
  setError('input', null);
  if (date === state.date) return;
  state.date = date;
  if (state.compare) fitChangesNextTime(true);
  showState();
  scheduleRefresh(delay || 0);
}

function buildControls() {
  const meta = dataset.meta;
  $('title').textContent = meta.title || 'Frontline';
  $('attribution').textContent = meta.attribution ? 'Data: ' + meta.attribution : '';
  buildTimeline(setDate);

  const select = $('style');
  dataset.styles.forEach((s) => {
    const o = document.createElement('option');
    o.value = s.name;
    o.textContent = s.title ? s.title : s.name;
    select.appendChild(o);
  });
  select.addEventListener('change', () => {
    state.style = select.value;
    scheduleRefresh(0);
  });

  $('compare').addEventListener('change', () => {
    state.compare = $('compare').checked;
    if (state.compare && !isDate(state.from)) {
      const prev = previousKey(state.date);
      state.from = prev ? prev.date : addDays(state.date, -30);
      if (isDate(meta.first) && state.from < meta.first) state.from = meta.first;
    }
    fitChangesNextTime(state.compare);
    showState();
    scheduleRefresh(0);
  });
  $('from-date').addEventListener('change', () => {
    const v = $('from-date').value;
    if (!v) return;
    if (!isDate(v)) { setError('input', 'Not a valid date: "' + v + '".'); return; }
    setError('input', null);
    state.from = v;
    fitChangesNextTime(true);
    showState();
    scheduleRefresh(0);
  });

  const toggle = $('panel-toggle');
  const panel = $('panel');
  const setPanel = (open) => {
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    toggle.textContent = open ? 'Hide controls' : 'Show controls';
  };
  toggle.addEventListener('click', () => setPanel(panel.hidden));
  // The toggle only shows on small screens: a panel hidden there comes back on a large one.
  const small = window.matchMedia('(max-width: 720px)');
  small.addEventListener('change', () => { if (!small.matches) setPanel(true); });
}

function onHashChange() {
  if (!hashChangedOutside()) return;
  const view = applyHash(readHash());
  showState();
  if (view) setView(view);
  acceptHash();
  refreshAll();
}

function start(meta, styles) {
  dataset.meta = meta || {};
  dataset.styles = (styles && Array.isArray(styles.styles) ? styles.styles : []).filter((s) => s && s.name);
  if (!dataset.styles.length) dataset.styles = [{ name: 'default', title: 'default' }];
  state.date = isDate(meta.default) ? meta.default : (isDate(meta.last) ? meta.last : formatISO(new Date()));
  state.style = dataset.styles.some((s) => s.name === 'default') ? 'default' : dataset.styles[0].name;
  buildControls();
  const view = applyHash(readHash());
  showState();
  createMap(view, meta.bbox);
  map.on('moveend', saveView);
  // Frame the changes at start only when the address did not say where to look.
  fitChangesNextTime(state.compare && !view);
  refreshAll();
  window.addEventListener('hashchange', onHashChange);
  document.body.dataset.ready = 'true';
}

onErrorsChange(updateDateLine);
onLegendChange(restyleChanges);
if (typeof L === 'undefined') {
  setError('start', 'Leaflet did not load (leaflet/leaflet.js): the map cannot be shown.');
} else {
  load('start', Promise.all([getDates(), getStyles()]), 'Cannot start the viewer', (results) => start(results[0] || {}, results[1]));
}
