/* The server's HTTP API (see the README). Every URL is relative to the page, so the viewer also
 * works behind a path prefix. Errors come back as JSON {"error": "..."}: the promises reject with
 * that message, ready to show. */

/** Fetches JSON; rejects with the server's {"error": ...} message when the status is not 2xx. */
async function fetchJSON(url) {
  let response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json, application/geo+json' } });
  } catch (e) {
    throw new Error('Cannot reach the server (' + url + ')');
  }
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
  if (!response.ok) {
    const error = new Error(body && typeof body.error === 'string' ? body.error : response.status + ' ' + response.statusText);
    error.status = response.status;
    throw error;
  }
  if (body === null) throw new Error('The server sent no JSON for ' + url);
  return body;
}

function query(params) {
  return Object.keys(params).map((k) => encodeURIComponent(k) + '=' + encodeURIComponent(params[k])).join('&');
}

function stylePath(style, date) { return 'styles/' + encodeURIComponent(style) + '/' + encodeURIComponent(date); }

/** dates.json: title, attribution, first/last/default dates, bbox, key dates, parties. */
export function getDates() { return fetchJSON('dates.json'); }

/** styles.json: the named styles. */
export function getStyles() { return fetchJSON('styles.json'); }

/** The TileJSON of a style on a date (512 px tiles when `retina`). */
export function getTileJSON(style, date, retina) { return fetchJSON(stylePath(style, date) + (retina ? '@2x' : '') + '.json'); }

/** The legend of a style on a date: {entries: [{kind, color, opacity, label, …}]}. */
export function getLegend(style, date) { return fetchJSON(stylePath(style, date) + '/legend.json'); }

/** The ground that changed hands between two dates (GeoJSON; from/to party ids and names). */
export function getChanges(from, to) { return fetchJSON('changes.geojson?' + query({ from: from, to: to })); }

/** The events of a period (GeoJSON). */
export function getEvents(from, to) { return fetchJSON('events.geojson?' + query({ from: from, to: to })); }
