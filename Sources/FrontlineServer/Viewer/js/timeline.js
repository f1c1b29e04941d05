/* The timeline: a slider over the dataset's key dates (arrow keys step through them), previous/next
 * buttons, a date field for any day of the data, and the line that says what the map shows. */

import { $, el } from './dom.js';
import { humanDate, isDate, maxDate, minDate } from './format.js';
import { dataset, state } from './state.js';
import { hasError } from './status.js';
import { shownDate } from './tiles.js';

/** Index of the last key date on or before `date` (0 when before them all). */
function keyIndexFor(date) {
  let idx = 0;
  dataset.keyDates.forEach((k, i) => { if (k.date <= date) idx = i; });
  return idx;
}

/** The last key date before `date`, or null. */
export function previousKey(date) {
  for (let i = dataset.keyDates.length - 1; i >= 0; i--) if (dataset.keyDates[i].date < date) return dataset.keyDates[i];
  return null;
}

function nextKey(date) {
  return dataset.keyDates.find((k) => k.date > date) || null;
}

/** Sets up the slider and the date field for the dataset; `pick(date, delay)` is called with the
 *  date the user chose (delay: ms to wait before loading, so that dragging the slider stays smooth). */
export function buildTimeline(pick) {
  const meta = dataset.meta;
  dataset.keyDates = (Array.isArray(meta.key_dates) ? meta.key_dates : [])
    .filter((k) => k && isDate(k.date))
    .map((k) => ({ date: k.date, label: String(k.label || '') }))
    .sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
  const keyDates = dataset.keyDates;
  const slider = $('slider');
  slider.max = String(Math.max(0, keyDates.length - 1));
  const ticks = $('slider-ticks');
  keyDates.forEach((k, i) => {
    const o = document.createElement('option');
    o.value = String(i);
    o.label = k.date;
    ticks.appendChild(o);
  });
  ['date', 'from-date'].forEach((id) => {
    if (isDate(meta.first)) $(id).min = meta.first;
    if (isDate(meta.last)) $(id).max = meta.last;
  });

  const step = (direction) => {
    const k = direction < 0 ? previousKey(state.date) : nextKey(state.date);
    if (k) pick(k.date, 0);
  };
  slider.addEventListener('input', () => {
    const k = keyDates[Number(slider.value)];
    if (k) pick(k.date, 150);
  });
  slider.addEventListener('keydown', (e) => {
    let handled = true;
    switch (e.key) {
      case 'ArrowLeft': case 'ArrowDown': case 'PageDown': step(-1); break;
      case 'ArrowRight': case 'ArrowUp': case 'PageUp': step(1); break;
      case 'Home': if (keyDates.length) pick(keyDates[0].date, 0); break;
      case 'End': if (keyDates.length) pick(keyDates[keyDates.length - 1].date, 0); break;
      default: handled = false;
    }
    if (handled) e.preventDefault();
  });
  $('prev-key').addEventListener('click', () => step(-1));
  $('next-key').addEventListener('click', () => step(1));
  $('date').addEventListener('change', () => {
    const v = $('date').value;
    if (v) pick(v, 0); // empty while half typed: wait for a full date
  });
}

/** Shows the state's date on the slider, its key-date label, the date field and the page title. */
export function updateTimeline() {
  const keyDates = dataset.keyDates;
  const slider = $('slider');
  const label = $('key-label');
  label.textContent = '';
  if (keyDates.length) {
    const i = keyIndexFor(state.date);
    const k = keyDates[i];
    slider.value = String(i);
    slider.setAttribute('aria-valuetext', humanDate(k.date) + ': ' + k.label);
    if (k.date === state.date) {
      label.appendChild(el('span', 'key-date', humanDate(k.date)));
      label.appendChild(document.createTextNode(' — ' + k.label));
    } else if (state.date < k.date) {
      label.appendChild(el('span', 'off-key', 'Before the first key date (' + humanDate(k.date) + ').'));
    } else {
      label.appendChild(el('span', 'off-key', 'Not a key date. Last key date: '));
      label.appendChild(el('span', 'key-date', humanDate(k.date)));
      label.appendChild(document.createTextNode(' — ' + k.label));
    }
    $('prev-key').disabled = !previousKey(state.date);
    $('next-key').disabled = !nextKey(state.date);
  } else {
    slider.disabled = true;
    label.textContent = 'The dataset has no key dates.';
  }
  if ($('date').value !== state.date) $('date').value = state.date;
  updateDateLine();
  document.title = (dataset.meta.title ? dataset.meta.title + ' — ' : '') + humanDate(state.date) + ' — Frontline';
}

/** The line under the title: the date shown, the compared period, and whether the map lags behind. */
export function updateDateLine() {
  if (!state.date) return;
  let text = 'Control on ' + humanDate(state.date);
  if (state.compare && state.from && state.from !== state.date) {
    text += '; changes ' + humanDate(minDate(state.from, state.date)) + ' → ' + humanDate(maxDate(state.from, state.date));
  }
  const shown = shownDate();
  if ((hasError('tiles') || hasError('range')) && shown && shown !== state.date) {
    text += ' (not available: the map still shows ' + humanDate(shown) + ')';
  }
  $('date-line').textContent = text;
}
