/* The events of the period — the 31 days up to the date, or in compare mode the days between the
 * two dates — listed newest first and drawn on the map; each item flies the map to its event. */

import { getEvents } from './api.js';
import { $, el } from './dom.js';
import { addDays, humanDate, isDate, maxDate, minDate } from './format.js';
import { flyToLayer, map, popupOptions } from './map.js';
import { dataset, state } from './state.js';
import { cancel, load } from './status.js';

// The viewer's own mark for events: the styles draw no events.
const EVENT_COLOR = '#b3261e';
const EVENTS_DAYS = 31;

let eventsLayer = null;

function eventsPeriod() {
  if (state.compare && state.from && state.from !== state.date) {
    return { from: minDate(state.from, state.date), to: maxDate(state.from, state.date) };
  }
  const first = dataset.meta.first;
  let from = addDays(state.date, -(EVENTS_DAYS - 1));
  if (isDate(first) && from < first && state.date >= first) from = first;
  return { from: from, to: state.date };
}

function eventPopup(p) {
  const box = el('div', 'fl-popup');
  box.appendChild(el('h3', null, p.title || 'Event'));
  box.appendChild(el('p', null, humanDate(p.date) + (p.kind ? ' · ' + p.kind : '')));
  if (p.source) box.appendChild(el('p', 'muted', 'Source: ' + p.source));
  return box;
}

/** Loads and shows the events of the state's period. */
export function refreshEvents() {
  const period = eventsPeriod();
  $('events-period').textContent = 'From ' + humanDate(period.from) + ' to ' + humanDate(period.to) + ', newest first.';
  return load('events', getEvents(period.from, period.to), 'Events', showEvents, () => showEvents(null));
}

/** Drops pending events and empties the list (a date outside the data has none). */
export function clearEvents() {
  cancel('events');
  showEvents(null);
  $('events-period').textContent = '';
}

function showEvents(fc) {
  if (eventsLayer) map.removeLayer(eventsLayer);
  eventsLayer = null;
  const list = $('events');
  list.textContent = '';
  // Newest first; the server's order within a day.
  const features = (fc && Array.isArray(fc.features) ? fc.features : []).map((f, i) => ({ f: f, i: i }));
  const dateOf = (x) => String((x.f.properties || {}).date || '');
  features.sort((x, y) => (dateOf(x) !== dateOf(y) ? (dateOf(x) < dateOf(y) ? 1 : -1) : x.i - y.i));
  $('events-count').textContent = '(' + features.length + ')';
  if (!features.length) {
    list.appendChild(el('li', 'empty', fc ? 'No events in this period.' : 'Events unavailable.'));
    return;
  }
  let lastAdded = null;
  eventsLayer = L.geoJSON(null, {
    pane: 'events',
    onEachFeature: (feature, layer) => { lastAdded = layer; },
    pointToLayer: (feature, latlng) =>
      L.circleMarker(latlng, { pane: 'events', radius: 7, color: '#ffffff', weight: 2, fillColor: EVENT_COLOR, fillOpacity: 0.95 }),
    style: (feature) => {
      const t = feature && feature.geometry ? feature.geometry.type : '';
      if (t === 'Point' || t === 'MultiPoint') return { color: '#ffffff', weight: 2, opacity: 1, fillColor: EVENT_COLOR, fillOpacity: 0.95 };
      return { color: EVENT_COLOR, weight: 3, opacity: 0.9, fillColor: EVENT_COLOR, fillOpacity: 0.15 };
    }
  }).addTo(map);

  features.forEach(({ f: feature }) => {
    const p = feature.properties || {};
    let layer = null;
    if (feature.geometry) {
      try {
        lastAdded = null;
        eventsLayer.addData(feature);
        layer = lastAdded;
        if (!layer) throw new Error('not drawn');
        layer.bindPopup(eventPopup(p), popupOptions());
        if (p.title) layer.bindTooltip(String(p.title).slice(0, 80), { direction: 'top', offset: [0, -6] });
      } catch (e) {
        layer = null; // a geometry Leaflet cannot draw: listed without a map link
      }
    }
    const item = el(layer ? 'button' : 'div', 'item-button');
    if (layer) {
      item.type = 'button';
      item.title = 'Show on the map';
      item.addEventListener('click', () => flyToLayer(layer));
    }
    const text = el('span');
    const head = el('span', 'item-text');
    head.appendChild(el('span', 'event-date', humanDate(p.date)));
    if (p.kind) head.appendChild(el('span', 'event-kind', p.kind));
    text.appendChild(head);
    text.appendChild(el('span', 'item-text', p.title || '(untitled)'));
    if (p.source) text.appendChild(el('span', 'event-source', 'Source: ' + p.source));
    item.appendChild(text);
    const li = el('li');
    li.appendChild(item);
    list.appendChild(li);
  });
}
