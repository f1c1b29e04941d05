/* Compare mode: the ground that changed hands between the earlier date ("from") and the date
 * shown, drawn over the tiles in the colour of the party that gained it, listed with pop-ups. */

import { getChanges } from './api.js';
import { $, el } from './dom.js';
import { formatArea, humanDate, listText, maxDate, minDate } from './format.js';
import { darker, partyColor, partyName, swatchFor } from './legend.js';
import { fitOptions, flyToLayer, map, popupOptions } from './map.js';
import { rangeProblem, state } from './state.js';
import { cancel, load, setError } from './status.js';

let layer = null;
let items = [];          // [{feature, swatch}] of the list, for restyling
let fitNextTime = false;

/** Frames the map on the next changes shown (after the user picked a date or turned compare on). */
export function fitChangesNextTime(on) { fitNextTime = on; }

function gainedColor(p) { return partyColor(p.to, p.to_name); }

function changeStyle(feature) {
  const c = gainedColor(feature.properties || {});
  return { color: darker(c, 0.6), weight: 2, opacity: 0.9, fillColor: c, fillOpacity: 0.4 };
}

function changeSwatch(p) {
  const c = gainedColor(p);
  return swatchFor({ kind: 'fill', color: c, opacity: 0.6, outline: darker(c, 0.6) });
}

/** Redraws the changes in the current legend's party colours. */
export function restyleChanges() {
  if (layer) layer.setStyle(changeStyle);
  items.forEach((item) => {
    const fresh = changeSwatch(item.feature.properties || {});
    item.swatch.replaceWith(fresh);
    item.swatch = fresh;
  });
}

function changePopup(p) {
  const box = el('div', 'fl-popup');
  box.appendChild(el('h3', null, partyName(p.from, p.from_name) + ' → ' + partyName(p.to, p.to_name)));
  box.appendChild(el('p', null, 'Area: ' + formatArea(p.area_km2)));
  box.appendChild(el('p', null, 'Villages: ' + listText(p.villages)));
  box.appendChild(el('p', null, 'Heights: ' + listText(p.heights)));
  box.appendChild(el('p', 'muted', humanDate(p.from_date) + ' → ' + humanDate(p.to_date)));
  return box;
}

function clearChanges(summary) {
  if (layer) map.removeLayer(layer);
  layer = null;
  items = [];
  $('changes-list').textContent = '';
  $('changes-summary').textContent = summary || '';
}

/** Shows (compare mode) or hides the changes between the state's "from" date and its date. */
export function refreshChanges() {
  if (!state.compare || !state.from) {
    cancel('changes');
    clearChanges();
    $('changes').hidden = true;
    return;
  }
  $('changes').hidden = false;
  const a = minDate(state.from, state.date), b = maxDate(state.from, state.date);
  const problem = rangeProblem(state.from);
  if (problem || rangeProblem(state.date)) {
    cancel('changes');
    clearChanges('Changes unavailable.');
    setError('changes', problem, problem ? 'Earlier date' : null);
    return;
  }
  if (a === b) {
    cancel('changes');
    clearChanges('Pick an earlier date than ' + humanDate(b) + ' to see what changed.');
    return;
  }
  const fit = fitNextTime;
  fitNextTime = false;
  return load('changes', getChanges(a, b), 'Changes ' + humanDate(a) + ' → ' + humanDate(b),
    (fc) => showChanges(fc, a, b, fit), () => clearChanges('Changes unavailable.'));
}

function showChanges(fc, a, b, fit) {
  clearChanges();
  const features = (fc && Array.isArray(fc.features) ? fc.features : []).filter((f) => f && f.geometry);
  const summary = $('changes-summary');
  if (!features.length) {
    summary.textContent = 'No ground changed hands between ' + humanDate(a) + ' and ' + humanDate(b) + '.';
    return;
  }
  const area = (f) => Number((f.properties || {}).area_km2) || 0;
  features.sort((x, y) => area(y) - area(x));
  const total = features.reduce((s, f) => s + area(f), 0);
  summary.textContent = features.length + (features.length === 1 ? ' area' : ' areas') + ' changed hands between ' +
    humanDate(a) + ' and ' + humanDate(b) + ' (' + formatArea(total) + ' in all):';

  const list = $('changes-list');
  layer = L.geoJSON({ type: 'FeatureCollection', features: features }, {
    pane: 'changes',
    style: changeStyle,
    onEachFeature: (feature, shape) => {
      const p = feature.properties || {};
      shape.bindPopup(changePopup(p), popupOptions());
      const button = el('button', 'item-button');
      button.type = 'button';
      const swatch = changeSwatch(p);
      button.appendChild(swatch);
      const text = el('span');
      text.appendChild(el('span', 'item-text', partyName(p.from, p.from_name) + ' → ' + partyName(p.to, p.to_name) + ': ' + formatArea(p.area_km2)));
      const places = [];
      if (Array.isArray(p.villages) && p.villages.length) places.push('villages: ' + p.villages.join(', '));
      if (Array.isArray(p.heights) && p.heights.length) places.push('heights: ' + p.heights.join(', '));
      if (places.length) text.appendChild(el('span', 'item-meta', places.join('; ')));
      button.appendChild(text);
      button.setAttribute('aria-label', 'Show on the map: ' + text.textContent);
      button.addEventListener('click', () => flyToLayer(shape));
      const li = el('li');
      li.appendChild(button);
      list.appendChild(li);
      items.push({ feature: feature, swatch: swatch });
    }
  }).addTo(map);
  if (fit) {
    const bounds = layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, fitOptions({ maxZoom: 12 }));
  }
}
