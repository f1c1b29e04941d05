/* What the viewer is waiting for ("Loading…" in #status) and what went wrong (#error), by part
 * of the viewer (a channel: "tiles", "legend", "events", …). */

import { $, el } from './dom.js';

const errors = {};      // channel -> {message, what}
const loading = {};     // channel -> true
const generation = {};  // channel -> number of the newest load
const listeners = [];

/** Calls `fn` whenever an error is set or cleared. */
export function onErrorsChange(fn) { listeners.push(fn); }

/** True while `channel` has an error. */
export function hasError(channel) { return Boolean(errors[channel]); }

/** Sets or clears (message null) the error of one part of the viewer. Parts that fail with the
 *  same message (a date the server refuses for tiles, legend and events) are shown once. */
export function setError(channel, message, what) {
  if (message) errors[channel] = { message: String(message), what: what || '' }; else delete errors[channel];
  const groups = [];
  Object.keys(errors).forEach((k) => {
    const e = errors[k];
    let g = groups.find((x) => x.message === e.message);
    if (!g) groups.push(g = { message: e.message, whats: [] });
    if (e.what && g.whats.indexOf(e.what) < 0) g.whats.push(e.what);
  });
  const box = $('error');
  box.textContent = '';
  groups.forEach((g) => box.appendChild(el('div', null, (g.whats.length ? g.whats.join(', ') + ': ' : '') + g.message)));
  box.hidden = groups.length === 0;
  listeners.forEach((fn) => fn());
}

function setLoading(channel, on) {
  if (on) loading[channel] = true; else delete loading[channel];
  $('status').textContent = Object.keys(loading).length ? 'Loading…' : '';
}

/** Loads one part of the viewer: shows "Loading…" until `promise` settles, then hands its value to
 *  `show` and clears the part's error, or calls `fail` and shows the error (prefixed by `what`).
 *  An answer overtaken by a newer load of the same channel is dropped. */
export function load(channel, promise, what, show, fail) {
  const id = generation[channel] = (generation[channel] || 0) + 1;
  setLoading(channel, true);
  return promise.then((value) => {
    if (generation[channel] !== id) return;
    setLoading(channel, false);
    setError(channel, null);
    show(value);
  }, (error) => {
    if (generation[channel] !== id) return;
    setLoading(channel, false);
    if (fail) fail();
    setError(channel, error.message, what);
  });
}

/** Drops the answer of a pending load of `channel` and clears its loading state and error. */
export function cancel(channel) {
  generation[channel] = (generation[channel] || 0) + 1;
  setLoading(channel, false);
  setError(channel, null);
}
