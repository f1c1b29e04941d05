/* Frontline web viewer.
 *
 * Plain ES2017, no build step, no external URLs. Needs Leaflet (served at leaflet/leaflet.js).
 * Every URL is relative to the page, so the viewer also works behind a path prefix.
 *
 * API used (see the server's README):
 *   dates.json, styles.json, styles/{style}/{date}.json (TileJSON; @2x.json on high-DPI screens),
 *   styles/{style}/{date}/legend.json, changes.geojson?from=&to=, events.geojson?from=&to=
 * Errors come back as JSON {"error": "..."} and are shown to the user.
 *
 * Text from the server is only ever put into the page with textContent (or escapeHTML for the
 * one place Leaflet wants HTML: the attribution control).
 */
(function () {
  'use strict';

  // ---------------------------------------------------------------- small helpers

  var SVG_NS = 'http://www.w3.org/2000/svg';
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  var DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
  // The default style's palette (Okabe-Ito based), by a party's position in dates.json.
  var PALETTE = ['#e69f00', '#0072b2', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442'];
  var NONE_COLOR = '#9e9e9e';
  var EVENT_COLOR = '#b3261e';
  var EVENTS_DAYS = 31; // the events list covers the 31 days up to the date (outside compare mode)

  function $(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function svgEl(tag, attrs) {
    var e = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    return e;
  }

  function escapeHTML(s) {
    return String(s === undefined || s === null ? '' : s)
      .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  }

  function isDate(s) {
    if (typeof s !== 'string' || !DATE_RE.test(s)) return false;
    var d = parseDate(s);
    return !isNaN(d.getTime()) && formatISO(d) === s;
  }

  function parseDate(s) { return new Date(s + 'T00:00:00Z'); }

  function formatISO(d) { return d.toISOString().slice(0, 10); }

  function addDays(s, n) {
    var d = parseDate(s);
    d.setUTCDate(d.getUTCDate() + n);
    return formatISO(d);
  }

  function humanDate(s) {
    if (!isDate(s)) return String(s);
    var d = parseDate(s);
    return d.getUTCDate() + ' ' + MONTHS[d.getUTCMonth()] + ' ' + d.getUTCFullYear();
  }

  function maxDate(a, b) { return a > b ? a : b; }
  function minDate(a, b) { return a < b ? a : b; }

  function formatArea(km2) {
    var v = Number(km2);
    if (!isFinite(v)) return '?';
    if (v > 0 && v < 0.05) return '< 0.1 km²';
    return v.toFixed(1) + ' km²';
  }

  function listText(values) {
    if (!Array.isArray(values) || values.length === 0) return 'none';
    return values.map(String).join(', ');
  }

  function clampNumber(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }

  function darker(hex, f) {
    var m = /^#?([0-9a-f]{6})$/i.exec(hex || '');
    if (!m) return hex || '#333333';
    var n = parseInt(m[1], 16);
    var r = Math.round(((n >> 16) & 255) * f), g = Math.round(((n >> 8) & 255) * f), b = Math.round((n & 255) * f);
    return '#' + ((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1);
  }

  /** Fetches JSON; rejects with the server's {"error": ...} message when the status is not 2xx. */
  function fetchJSON(url) {
    return fetch(url, { headers: { Accept: 'application/json, application/geo+json' } }).then(function (response) {
      return response.text().then(function (text) {
        var body = null;
        try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
        if (!response.ok) {
          var message = body && typeof body.error === 'string' ? body.error : (response.status + ' ' + response.statusText);
          var err = new Error(message);
          err.status = response.status;
          throw err;
        }
        if (body === null) throw new Error('The server sent no JSON for ' + url);
        return body;
      });
    }, function () {
      throw new Error('Cannot reach the server (' + url + ')');
    });
  }

  function query(params) {
    return Object.keys(params).map(function (k) {
      return encodeURIComponent(k) + '=' + encodeURIComponent(params[k]);
    }).join('&');
  }

  // ---------------------------------------------------------------- state

  var meta = null;          // dates.json
  var styles = [];          // styles.json "styles"
  var keyDates = [];        // [{date, label}] sorted
  var state = { date: null, style: null, compare: false, from: null };
  var map = null;
  var retina = (window.devicePixelRatio || 1) > 1.5;

  var tiles = { shown: null, pending: null, shownTemplate: null, shownDate: null, timer: null };
  var legendEntries = [];
  var changesLayer = null;
  var changesFeatures = [];  // [{feature, layer}]
  var eventsLayer = null;
  var fitOnNextChanges = false;
  var errors = {};           // channel -> message
  var seq = { tiles: 0, legend: 0, changes: 0, events: 0 };
  var refreshTimer = null;
  var hashTimer = null;
  var lastHash = '';

  // ---------------------------------------------------------------- status and errors

  /** Sets or clears (message null) the error of one part of the viewer. Parts that fail with the
   *  same message (a date the server refuses for tiles, legend and events) are shown once. */
  function setError(channel, message, what) {
    if (message) errors[channel] = { message: String(message), what: what || '' }; else delete errors[channel];
    var groups = [];
    Object.keys(errors).forEach(function (k) {
      var e = errors[k];
      var g = groups.filter(function (x) { return x.message === e.message; })[0];
      if (!g) groups.push(g = { message: e.message, whats: [] });
      if (e.what && g.whats.indexOf(e.what) < 0) g.whats.push(e.what);
    });
    var box = $('error');
    box.textContent = '';
    groups.forEach(function (g) {
      box.appendChild(el('div', null, (g.whats.length ? g.whats.join(', ') + ': ' : '') + g.message));
    });
    box.hidden = groups.length === 0;
    if (meta) updateDateLine();
  }

  /** A message when `date` lies outside the data's first…last days, else null. */
  function rangeProblem(date) {
    if (!meta) return null;
    if ((isDate(meta.first) && date < meta.first) || (isDate(meta.last) && date > meta.last)) {
      return humanDate(date) + ' is outside the data (' + humanDate(meta.first) + ' to ' + humanDate(meta.last) + ').';
    }
    return null;
  }

  var loading = {};
  function setLoading(channel, on) {
    if (on) loading[channel] = true; else delete loading[channel];
    $('status').textContent = Object.keys(loading).length ? 'Loading…' : '';
  }

  // ---------------------------------------------------------------- URL hash

  function readHash() {
    var out = {};
    var h = window.location.hash.replace(/^#/, '');
    if (!h) return out;
    h.split('&').forEach(function (part) {
      if (!part) return;
      var i = part.indexOf('=');
      var k = decodeURIComponent(i < 0 ? part : part.slice(0, i));
      var v = i < 0 ? '' : decodeURIComponent(part.slice(i + 1).replace(/\+/g, ' '));
      out[k] = v;
    });
    return out;
  }

  function buildHash() {
    var p = { date: state.date, style: state.style };
    if (state.compare && state.from) p.from = state.from;
    if (map) {
      var c = map.getCenter();
      p.z = String(map.getZoom());
      p.lat = c.lat.toFixed(5);
      p.lon = c.lng.toFixed(5);
    }
    return '#' + query(p);
  }

  function writeHash() {
    clearTimeout(hashTimer);
    hashTimer = setTimeout(function () {
      var h = buildHash();
      if (h === lastHash) return;
      lastHash = h;
      try {
        window.history.replaceState(null, '', h);
      } catch (e) {
        window.location.hash = h;
      }
    }, 100);
  }

  /** Applies the hash's date/style/from; returns the view {z, lat, lon} it holds, or null. */
  function applyHash(h) {
    if (h.date) {
      if (isDate(h.date)) state.date = h.date;
      else setError('hash', 'Ignored the date in the address: "' + h.date + '" is not a YYYY-MM-DD date.');
    }
    if (h.style) {
      if (styles.some(function (s) { return s.name === h.style; })) state.style = h.style;
      else setError('hash', 'Unknown style in the address: "' + h.style + '"; showing "' + state.style + '".');
    }
    if (h.from !== undefined) {
      if (isDate(h.from)) {
        state.compare = true;
        state.from = h.from;
      } else {
        setError('hash', 'Ignored "from" in the address: "' + h.from + '" is not a YYYY-MM-DD date.');
      }
    } else {
      state.compare = false;
    }
    var z = parseFloat(h.z), lat = parseFloat(h.lat), lon = parseFloat(h.lon);
    if (isFinite(z) && isFinite(lat) && isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 360) {
      return { z: z, lat: lat, lon: lon };
    }
    return null;
  }

  // ---------------------------------------------------------------- key dates and the timeline

  /** Index of the last key date on or before `date` (0 when before them all). */
  function keyIndexFor(date) {
    var idx = 0;
    for (var i = 0; i < keyDates.length; i++) {
      if (keyDates[i].date <= date) idx = i;
    }
    return idx;
  }

  function previousKey(date) {
    for (var i = keyDates.length - 1; i >= 0; i--) if (keyDates[i].date < date) return keyDates[i];
    return null;
  }

  function nextKey(date) {
    for (var i = 0; i < keyDates.length; i++) if (keyDates[i].date > date) return keyDates[i];
    return null;
  }

  function updateTimelineUI() {
    var slider = $('slider');
    var label = $('key-label');
    label.textContent = '';
    if (keyDates.length) {
      var i = keyIndexFor(state.date);
      var k = keyDates[i];
      slider.value = String(i);
      var exact = k.date === state.date;
      slider.setAttribute('aria-valuetext', humanDate(k.date) + ': ' + k.label);
      if (exact) {
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
    $('compare').checked = state.compare;
    $('from-date').disabled = !state.compare;
    if (state.from && $('from-date').value !== state.from) $('from-date').value = state.from;
    if ($('style').value !== state.style) $('style').value = state.style;

    updateDateLine();
    document.title = (meta && meta.title ? meta.title + ' — ' : '') + humanDate(state.date) + ' — Frontline';
  }

  function updateDateLine() {
    var text = 'Control on ' + humanDate(state.date);
    if (state.compare && state.from && state.from !== state.date) {
      text += '; changes ' + humanDate(minDate(state.from, state.date)) + ' → ' + humanDate(maxDate(state.from, state.date));
    }
    if ((errors.tiles || errors.range) && tiles.shownDate && tiles.shownDate !== state.date) {
      text += ' (not available: the map still shows ' + humanDate(tiles.shownDate) + ')';
    }
    $('date-line').textContent = text;
  }

  function setDate(date, delay) {
    if (!isDate(date)) {
      setError('input', 'Not a valid date: "' + date + '". Use YYYY-MM-DD.');
      return;
    }
    setError('input', null);
    if (date === state.date) return;
    state.date = date;
    if (state.compare) fitOnNextChanges = true;
    updateTimelineUI();
    scheduleRefresh(delay || 0);
  }

  function stepKey(direction) {
    var k = direction < 0 ? previousKey(state.date) : nextKey(state.date);
    if (k) setDate(k.date, 0);
  }

  // ---------------------------------------------------------------- refresh

  function scheduleRefresh(delay) {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refreshAll, delay);
    writeHash();
  }

  function refreshAll() {
    // A date outside the data is refused here, with one message, instead of by three requests.
    var problem = rangeProblem(state.date);
    setError('range', problem);
    if (problem) {
      seq.tiles++; seq.legend++; seq.events++;
      setLoading('tiles', false);
      setLoading('events', false);
      setError('tiles', null); setError('legend', null); setError('events', null);
      showEvents(null);
      $('events-period').textContent = '';
    } else {
      refreshTiles();
      refreshLegend();
      refreshEvents();
    }
    refreshChanges();
    writeHash();
  }

  // ---------------------------------------------------------------- tiles

  function tileJSONURL(style, date) {
    return 'styles/' + encodeURIComponent(style) + '/' + encodeURIComponent(date) + (retina ? '@2x' : '') + '.json';
  }

  function refreshTiles() {
    var id = ++seq.tiles;
    var url = tileJSONURL(state.style, state.date);
    var date = state.date;
    setLoading('tiles', true);
    // No cache of our own: the browser revalidates with the ETag, and a reloaded dataset's new
    // version (the tiles' ?v=) reaches the viewer on the next change of date or style.
    fetchJSON(url).then(function (tj) {
      if (id !== seq.tiles) return;
      setLoading('tiles', false);
      if (!tj || !Array.isArray(tj.tiles) || typeof tj.tiles[0] !== 'string') {
        throw new Error('The TileJSON for ' + date + ' has no tile URL.');
      }
      setError('tiles', null);
      showTiles(tj, date);
    }).catch(function (err) {
      if (id !== seq.tiles) return;
      setLoading('tiles', false);
      setError('tiles', err.message, 'Map of ' + humanDate(date));
    });
  }

  function zoomOf(v, fallback) {
    var n = Number(v);
    return isFinite(n) ? clampNumber(Math.round(n), 0, 22) : fallback;
  }

  function showTiles(tj, date) {
    var template = tj.tiles[0];
    var minZoom = zoomOf(tj.minzoom, 0);
    var maxZoom = Math.max(minZoom, zoomOf(tj.maxzoom, 18));
    map.setMinZoom(minZoom);
    map.setMaxZoom(maxZoom);

    if (template === tiles.shownTemplate && !tiles.pending) {
      tiles.shownDate = date;
      return;
    }
    var options = {
      minZoom: minZoom,
      maxZoom: maxZoom,
      // @2x tiles cover the same ground as 1x tiles at twice the pixels: shown in 256 px slots.
      tileSize: 256,
      attribution: escapeHTML(tj.attribution || (meta && meta.attribution) || ''),
      keepBuffer: 3,
      updateWhenZooming: false
    };
    if (Array.isArray(tj.bounds) && tj.bounds.length === 4) {
      var b = tj.bounds.map(Number);
      if (b.every(isFinite)) options.bounds = L.latLngBounds([b[1], b[0]], [b[3], b[2]]);
    }

    // Double-buffered swap: the new date's layer is drawn over the old one, which is removed once
    // the new tiles have loaded, so that moving along the timeline never flashes an empty map.
    if (tiles.pending) {
      map.removeLayer(tiles.pending);
      tiles.pending = null;
    }
    if (!tiles.shown) {
      tiles.shown = L.tileLayer(template, options).addTo(map);
      tiles.shownTemplate = template;
      tiles.shownDate = date;
      return;
    }
    var layer = L.tileLayer(template, options);
    tiles.pending = layer;
    var done = false;
    var swap = function () {
      if (done || tiles.pending !== layer) return;
      done = true;
      clearTimeout(tiles.timer);
      if (tiles.shown) map.removeLayer(tiles.shown);
      tiles.shown = layer;
      tiles.pending = null;
      tiles.shownTemplate = template;
      tiles.shownDate = date;
    };
    layer.once('load', swap);
    clearTimeout(tiles.timer);
    tiles.timer = setTimeout(swap, 6000);
    layer.addTo(map);
  }

  // ---------------------------------------------------------------- legend

  function swatchFor(entry) {
    var w = 28, h = 16;
    var svg = svgEl('svg', { width: w, height: h, viewBox: '0 0 ' + w + ' ' + h, 'aria-hidden': 'true', focusable: 'false' });
    var color = entry.color || '#888888';
    var opacity = entry.opacity !== undefined && entry.opacity !== null && isFinite(Number(entry.opacity)) ? Number(entry.opacity) : 1;
    var outline = entry.outline || null;
    var width = isFinite(Number(entry.width)) && Number(entry.width) > 0 ? Math.min(Number(entry.width), 5) : 1.5;
    var dash = Array.isArray(entry.dash) && entry.dash.length ? entry.dash.map(Number).filter(isFinite).join(' ') : null;
    switch (entry.kind) {
      case 'hatch': {
        svg.appendChild(svgEl('rect', { x: 1, y: 1, width: w - 2, height: h - 2, fill: color, 'fill-opacity': Math.min(opacity, 0.35) }));
        var g = svgEl('g', { stroke: color, 'stroke-width': 1.5 });
        for (var x = -h; x < w; x += 5) g.appendChild(svgEl('line', { x1: x, y1: h - 1, x2: x + h - 2, y2: 1 }));
        var clipId = 'clip' + Math.random().toString(36).slice(2);
        var clip = svgEl('clipPath', { id: clipId });
        clip.appendChild(svgEl('rect', { x: 1, y: 1, width: w - 2, height: h - 2 }));
        svg.appendChild(clip);
        g.setAttribute('clip-path', 'url(#' + clipId + ')');
        svg.appendChild(g);
        svg.appendChild(svgEl('rect', { x: 1, y: 1, width: w - 2, height: h - 2, fill: 'none', stroke: outline || darker(color, 0.7), 'stroke-width': 1 }));
        break;
      }
      case 'line': {
        var attrs = { x1: 2, y1: h / 2, x2: w - 2, y2: h / 2, stroke: color, 'stroke-width': width, 'stroke-opacity': opacity };
        if (dash) attrs['stroke-dasharray'] = dash;
        svg.appendChild(svgEl('line', attrs));
        break;
      }
      case 'circle': {
        var cattrs = { cx: w / 2, cy: h / 2, r: 4.5, fill: color, 'fill-opacity': opacity };
        if (outline) { cattrs.stroke = outline; cattrs['stroke-width'] = 1.5; }
        svg.appendChild(svgEl('circle', cattrs));
        break;
      }
      default: { // fill
        var rattrs = { x: 1, y: 1, width: w - 2, height: h - 2, fill: color, 'fill-opacity': opacity };
        if (outline) { rattrs.stroke = outline; rattrs['stroke-width'] = 1; }
        if (dash && outline) rattrs['stroke-dasharray'] = dash;
        svg.appendChild(svgEl('rect', rattrs));
      }
    }
    return svg;
  }

  function refreshLegend() {
    var id = ++seq.legend;
    var url = 'styles/' + encodeURIComponent(state.style) + '/' + encodeURIComponent(state.date) + '/legend.json';
    fetchJSON(url).then(function (body) {
      if (id !== seq.legend) return;
      setError('legend', null);
      legendEntries = Array.isArray(body.entries) ? body.entries : [];
      renderLegend();
      restyleChanges();
    }).catch(function (err) {
      if (id !== seq.legend) return;
      // The tiles' error already says why a date is unavailable; do not repeat it.
      setError('legend', err.message, 'Legend');
      legendEntries = [];
      renderLegend();
    });
  }

  function renderLegend() {
    var list = $('legend');
    list.textContent = '';
    if (!legendEntries.length) {
      list.appendChild(el('li', 'empty', 'No legend for this map.'));
      return;
    }
    legendEntries.forEach(function (entry) {
      var li = el('li');
      li.appendChild(swatchFor(entry));
      li.appendChild(el('span', null, entry.label));
      list.appendChild(li);
    });
  }

  // ---------------------------------------------------------------- party colours

  function partyColor(id, name) {
    var i;
    // The legend of the current style names each party: use its colour when one matches.
    for (i = 0; i < legendEntries.length; i++) {
      var e = legendEntries[i];
      if ((e.kind === 'fill' || e.kind === 'hatch') && e.color && (e.label === name || e.label === id)) return e.color;
    }
    if (id === 'none' || id === null || id === undefined) return NONE_COLOR;
    var parties = (meta && meta.parties) || [];
    for (i = 0; i < parties.length; i++) {
      if (parties[i].id === id) return PALETTE[i] || NONE_COLOR;
    }
    return NONE_COLOR;
  }

  function partyName(id, name) {
    if (name) return String(name);
    if (id === 'none') return 'no party';
    var parties = (meta && meta.parties) || [];
    for (var i = 0; i < parties.length; i++) if (parties[i].id === id) return parties[i].name;
    return id === undefined || id === null ? 'unknown' : String(id);
  }

  // ---------------------------------------------------------------- compare mode: changes

  function changeStyle(feature) {
    var p = feature.properties || {};
    var c = partyColor(p.to, p.to_name);
    return { color: darker(c, 0.6), weight: 2, opacity: 0.9, fillColor: c, fillOpacity: 0.4 };
  }

  function restyleChanges() {
    if (changesLayer) changesLayer.setStyle(changeStyle);
    changesFeatures.forEach(function (item) {
      if (item.swatch) {
        var p = item.feature.properties || {};
        var fresh = swatchFor({ kind: 'fill', color: partyColor(p.to, p.to_name), opacity: 0.6, outline: darker(partyColor(p.to, p.to_name), 0.6) });
        item.swatch.parentNode.replaceChild(fresh, item.swatch);
        item.swatch = fresh;
      }
    });
  }

  function changePopup(p) {
    var box = el('div', 'fl-popup');
    box.appendChild(el('h3', null, partyName(p.from, p.from_name) + ' → ' + partyName(p.to, p.to_name)));
    box.appendChild(el('p', null, 'Area: ' + formatArea(p.area_km2)));
    box.appendChild(el('p', null, 'Villages: ' + listText(p.villages)));
    box.appendChild(el('p', null, 'Heights: ' + listText(p.heights)));
    box.appendChild(el('p', 'muted', humanDate(p.from_date) + ' → ' + humanDate(p.to_date)));
    return box;
  }

  function clearChanges() {
    if (changesLayer) map.removeLayer(changesLayer);
    changesLayer = null;
    changesFeatures = [];
    $('changes-list').textContent = '';
    $('changes-summary').textContent = '';
  }

  function refreshChanges() {
    var id = ++seq.changes;
    if (!state.compare || !state.from) {
      clearChanges();
      $('changes').hidden = true;
      setError('changes', null);
      setLoading('changes', false);
      return;
    }
    $('changes').hidden = false;
    var a = minDate(state.from, state.date), b = maxDate(state.from, state.date);
    var problem = rangeProblem(state.from);
    if (problem || rangeProblem(state.date)) {
      setLoading('changes', false);
      clearChanges();
      $('changes-summary').textContent = 'Changes unavailable.';
      setError('changes', problem, problem ? 'Earlier date' : null);
      return;
    }
    if (a === b) {
      clearChanges();
      setError('changes', null);
      $('changes-summary').textContent = 'Pick an earlier date than ' + humanDate(b) + ' to see what changed.';
      return;
    }
    setLoading('changes', true);
    var fit = fitOnNextChanges;
    fitOnNextChanges = false;
    fetchJSON('changes.geojson?' + query({ from: a, to: b })).then(function (fc) {
      if (id !== seq.changes) return;
      setLoading('changes', false);
      setError('changes', null);
      showChanges(fc, a, b, fit);
    }).catch(function (err) {
      if (id !== seq.changes) return;
      setLoading('changes', false);
      clearChanges();
      $('changes-summary').textContent = 'Changes unavailable.';
      setError('changes', err.message, 'Changes ' + humanDate(a) + ' → ' + humanDate(b));
    });
  }

  function showChanges(fc, a, b, fit) {
    clearChanges();
    var features = (fc && Array.isArray(fc.features) ? fc.features : []).filter(function (f) { return f && f.geometry; });
    var summary = $('changes-summary');
    if (!features.length) {
      summary.textContent = 'No ground changed hands between ' + humanDate(a) + ' and ' + humanDate(b) + '.';
      return;
    }
    features.sort(function (x, y) { return Number((y.properties || {}).area_km2 || 0) - Number((x.properties || {}).area_km2 || 0); });
    var total = features.reduce(function (s, f) { return s + (Number((f.properties || {}).area_km2) || 0); }, 0);
    summary.textContent = features.length + (features.length === 1 ? ' area' : ' areas') + ' changed hands between ' +
      humanDate(a) + ' and ' + humanDate(b) + ' (' + formatArea(total) + ' in all):';

    var list = $('changes-list');
    changesLayer = L.geoJSON({ type: 'FeatureCollection', features: features }, {
      pane: 'changes',
      style: changeStyle,
      onEachFeature: function (feature, layer) {
        var p = feature.properties || {};
        layer.bindPopup(changePopup(p), popupOptions());
        var li = el('li');
        var button = el('button', 'item-button');
        button.type = 'button';
        var swatch = swatchFor({ kind: 'fill', color: partyColor(p.to, p.to_name), opacity: 0.6, outline: darker(partyColor(p.to, p.to_name), 0.6) });
        button.appendChild(swatch);
        var text = el('span');
        text.appendChild(el('span', 'item-text', partyName(p.from, p.from_name) + ' → ' + partyName(p.to, p.to_name) + ': ' + formatArea(p.area_km2)));
        var places = [];
        if (Array.isArray(p.villages) && p.villages.length) places.push('villages: ' + p.villages.join(', '));
        if (Array.isArray(p.heights) && p.heights.length) places.push('heights: ' + p.heights.join(', '));
        if (places.length) text.appendChild(el('span', 'item-meta', places.join('; ')));
        button.appendChild(text);
        button.setAttribute('aria-label', 'Show on the map: ' + text.textContent);
        button.addEventListener('click', function () {
          var bounds = layer.getBounds();
          if (bounds.isValid()) map.flyToBounds(bounds, fitOptions({ maxZoom: 13 }));
          map.once('moveend', function () { layer.openPopup(); });
        });
        li.appendChild(button);
        list.appendChild(li);
        changesFeatures.push({ feature: feature, layer: layer, swatch: swatch });
      }
    }).addTo(map);
    if (fit) {
      var bounds = changesLayer.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, fitOptions({ maxZoom: 12 }));
    }
  }

  // ---------------------------------------------------------------- events

  function eventsPeriod() {
    if (state.compare && state.from && state.from !== state.date) {
      return { from: minDate(state.from, state.date), to: maxDate(state.from, state.date) };
    }
    var from = addDays(state.date, -(EVENTS_DAYS - 1));
    if (meta && isDate(meta.first) && from < meta.first && state.date >= meta.first) from = meta.first;
    return { from: from, to: state.date };
  }

  function eventPopup(p) {
    var box = el('div', 'fl-popup');
    box.appendChild(el('h3', null, p.title || 'Event'));
    box.appendChild(el('p', null, humanDate(p.date) + (p.kind ? ' · ' + p.kind : '')));
    if (p.source) box.appendChild(el('p', 'muted', 'Source: ' + p.source));
    return box;
  }

  function refreshEvents() {
    var id = ++seq.events;
    var period = eventsPeriod();
    $('events-period').textContent = 'From ' + humanDate(period.from) + ' to ' + humanDate(period.to) + ', newest first.';
    setLoading('events', true);
    fetchJSON('events.geojson?' + query(period)).then(function (fc) {
      if (id !== seq.events) return;
      setLoading('events', false);
      setError('events', null);
      showEvents(fc);
    }).catch(function (err) {
      if (id !== seq.events) return;
      setLoading('events', false);
      showEvents(null);
      setError('events', err.message, 'Events');
    });
  }

  function showEvents(fc) {
    if (eventsLayer) map.removeLayer(eventsLayer);
    eventsLayer = null;
    var list = $('events');
    list.textContent = '';
    var features = fc && Array.isArray(fc.features) ? fc.features.slice() : [];
    features.forEach(function (f, i) { f.__order = i; });
    features.sort(function (x, y) {
      var dx = String((x.properties || {}).date || ''), dy = String((y.properties || {}).date || '');
      if (dx !== dy) return dx < dy ? 1 : -1;
      return x.__order - y.__order;
    });
    $('events-count').textContent = '(' + features.length + ')';
    if (!features.length) {
      list.appendChild(el('li', 'empty', fc ? 'No events in this period.' : 'Events unavailable.'));
      return;
    }
    var lastAdded = null;
    eventsLayer = L.geoJSON(null, {
      pane: 'events',
      onEachFeature: function (feature, layer) { lastAdded = layer; },
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, { pane: 'events', radius: 7, color: '#ffffff', weight: 2, fillColor: EVENT_COLOR, fillOpacity: 0.95 });
      },
      style: function (feature) {
        var t = feature && feature.geometry ? feature.geometry.type : '';
        if (t === 'Point' || t === 'MultiPoint') return { color: '#ffffff', weight: 2, opacity: 1, fillColor: EVENT_COLOR, fillOpacity: 0.95 };
        return { color: EVENT_COLOR, weight: 3, opacity: 0.9, fillColor: EVENT_COLOR, fillOpacity: 0.15 };
      }
    }).addTo(map);

    features.forEach(function (feature) {
      var p = feature.properties || {};
      var layer = null;
      if (feature.geometry) {
        try {
          lastAdded = null;
          eventsLayer.addData(feature);
          layer = lastAdded;
          if (!layer) throw new Error('not drawn');
          layer.bindPopup(eventPopup(p), popupOptions());
          if (p.title) layer.bindTooltip(String(p.title).slice(0, 80), { direction: 'top', offset: [0, -6] });
        } catch (e) {
          layer = null; // a geometry Leaflet cannot draw: list it without a map link
        }
      }
      var li = el('li');
      var item = el(layer ? 'button' : 'div', 'item-button');
      if (layer) {
        item.type = 'button';
        item.title = 'Show on the map';
      }
      var text = el('span');
      var head = el('span', 'item-text');
      head.appendChild(el('span', 'event-date', humanDate(p.date)));
      if (p.kind) head.appendChild(el('span', 'event-kind', p.kind));
      text.appendChild(head);
      text.appendChild(el('span', 'item-text', p.title || '(untitled)'));
      if (p.source) text.appendChild(el('span', 'event-source', 'Source: ' + p.source));
      item.appendChild(text);
      if (layer) item.addEventListener('click', function () { flyToLayer(layer); });
      li.appendChild(item);
      list.appendChild(li);
    });
  }

  function flyToLayer(layer) {
    var reduce = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    var open = function () { layer.openPopup(); };
    if (layer.getLatLng) {
      var target = layer.getLatLng();
      var zoom = clampNumber(Math.max(map.getZoom(), 11), map.getMinZoom(), map.getMaxZoom());
      if (reduce || (map.getZoom() === zoom && map.getBounds().pad(-0.2).contains(target))) {
        if (!reduce) map.panTo(target);
        else map.setView(target, zoom, { animate: false });
        open();
      } else {
        map.once('moveend', open);
        map.flyTo(target, zoom, { duration: 1.2 });
      }
    } else if (layer.getBounds) {
      var bounds = layer.getBounds();
      if (!bounds.isValid()) return open();
      map.once('moveend', open);
      if (reduce) map.fitBounds(bounds, fitOptions({ maxZoom: 13, animate: false }));
      else map.flyToBounds(bounds, fitOptions({ maxZoom: 13 }));
    }
  }

  // ---------------------------------------------------------------- map helpers

  /** Padding that keeps fitted features clear of the control panel. */
  function panelPadding() {
    var panel = $('panel');
    if (!panel || panel.hidden) return { tl: [20, 20], br: [20, 20] };
    var r = panel.getBoundingClientRect();
    if (r.width < window.innerWidth * 0.8) return { tl: [20, 20], br: [r.width + 30, 20] };
    return { tl: [20, 20], br: [20, r.height + 20] };
  }

  function fitOptions(extra) {
    var pad = panelPadding();
    var o = { paddingTopLeft: pad.tl, paddingBottomRight: pad.br };
    Object.keys(extra || {}).forEach(function (k) { o[k] = extra[k]; });
    return o;
  }

  function popupOptions() {
    var pad = panelPadding();
    return { maxWidth: 300, autoPanPaddingTopLeft: L.point(pad.tl[0], pad.tl[1]), autoPanPaddingBottomRight: L.point(pad.br[0], pad.br[1]) };
  }

  function fitToDataset() {
    var b = meta && Array.isArray(meta.bbox) && meta.bbox.length === 4 ? meta.bbox.map(Number) : null;
    if (b && b.every(isFinite)) map.fitBounds(L.latLngBounds([b[1], b[0]], [b[3], b[2]]), fitOptions());
    else map.setView([0, 0], 2);
  }

  // ---------------------------------------------------------------- start-up

  function buildControls() {
    $('title').textContent = meta.title || 'Frontline';
    $('attribution').textContent = meta.attribution ? 'Data: ' + meta.attribution : '';

    keyDates = (Array.isArray(meta.key_dates) ? meta.key_dates : [])
      .filter(function (k) { return k && isDate(k.date); })
      .map(function (k) { return { date: k.date, label: String(k.label || '') }; })
      .sort(function (x, y) { return x.date < y.date ? -1 : x.date > y.date ? 1 : 0; });
    var slider = $('slider');
    slider.max = String(Math.max(0, keyDates.length - 1));
    var ticks = $('slider-ticks');
    keyDates.forEach(function (k, i) {
      var o = document.createElement('option');
      o.value = String(i);
      o.label = k.date;
      ticks.appendChild(o);
    });

    ['date', 'from-date'].forEach(function (id) {
      if (isDate(meta.first)) $(id).min = meta.first;
      if (isDate(meta.last)) $(id).max = meta.last;
    });

    var select = $('style');
    styles.forEach(function (s) {
      var o = document.createElement('option');
      o.value = s.name;
      o.textContent = s.title ? s.title : s.name;
      select.appendChild(o);
    });

    slider.addEventListener('input', function () {
      var k = keyDates[Number(slider.value)];
      if (k) setDate(k.date, 150);
    });
    slider.addEventListener('keydown', function (e) {
      var handled = true;
      switch (e.key) {
        case 'ArrowLeft': case 'ArrowDown': case 'PageDown': stepKey(-1); break;
        case 'ArrowRight': case 'ArrowUp': case 'PageUp': stepKey(1); break;
        case 'Home': if (keyDates.length) setDate(keyDates[0].date, 0); break;
        case 'End': if (keyDates.length) setDate(keyDates[keyDates.length - 1].date, 0); break;
        default: handled = false;
      }
      if (handled) e.preventDefault();
    });
    $('prev-key').addEventListener('click', function () { stepKey(-1); });
    $('next-key').addEventListener('click', function () { stepKey(1); });

    $('date').addEventListener('change', function () {
      var v = $('date').value;
      if (!v) return; // a half-typed date: wait for a full one
      setDate(v, 0);
    });

    select.addEventListener('change', function () {
      state.style = select.value;
      scheduleRefresh(0);
    });

    $('compare').addEventListener('change', function () {
      state.compare = $('compare').checked;
      if (state.compare && !isDate(state.from)) {
        var prev = previousKey(state.date);
        state.from = prev ? prev.date : addDays(state.date, -30);
        if (isDate(meta.first) && state.from < meta.first) state.from = meta.first;
      }
      fitOnNextChanges = state.compare;
      updateTimelineUI();
      scheduleRefresh(0);
    });

    $('from-date').addEventListener('change', function () {
      var v = $('from-date').value;
      if (!v) return;
      if (!isDate(v)) { setError('input', 'Not a valid date: "' + v + '".'); return; }
      setError('input', null);
      state.from = v;
      fitOnNextChanges = true;
      updateTimelineUI();
      scheduleRefresh(0);
    });

    var toggle = $('panel-toggle');
    var panel = $('panel');
    var small = window.matchMedia ? window.matchMedia('(max-width: 720px)') : null;
    var setPanel = function (open) {
      panel.hidden = !open;
      toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
      toggle.textContent = open ? 'Hide controls' : 'Show controls';
    };
    toggle.addEventListener('click', function () { setPanel(panel.hidden); });
    if (small) {
      var onChange = function () { if (!small.matches) setPanel(true); };
      if (small.addEventListener) small.addEventListener('change', onChange);
      else if (small.addListener) small.addListener(onChange);
    }
  }

  function createMap(view) {
    map = L.map('map', {
      zoomControl: true,
      attributionControl: true,
      minZoom: 0,
      maxZoom: 18,
      worldCopyJump: false,
      keyboard: true
    });
    map.attributionControl.setPrefix('Leaflet');
    var pane = map.createPane('changes');
    pane.style.zIndex = 420;
    pane = map.createPane('events');
    pane.style.zIndex = 450;
    L.control.scale({ imperial: false, position: 'bottomleft' }).addTo(map);
    if (view) map.setView([view.lat, view.lon], view.z);
    else fitToDataset();
    map.on('moveend', writeHash);
  }

  function onHashChange() {
    if (window.location.hash === lastHash) return;
    var h = readHash();
    var view = applyHash(h);
    if (!isDate(state.from)) state.compare = false;
    updateTimelineUI();
    if (view) map.setView([view.lat, view.lon], clampNumber(view.z, map.getMinZoom(), map.getMaxZoom()));
    lastHash = window.location.hash;
    refreshAll();
  }

  function start() {
    if (typeof L === 'undefined') {
      setError('start', 'Leaflet did not load (leaflet/leaflet.js): the map cannot be shown.');
      return;
    }
    setLoading('start', true);
    Promise.all([fetchJSON('dates.json'), fetchJSON('styles.json')]).then(function (results) {
      setLoading('start', false);
      meta = results[0] || {};
      styles = (results[1] && Array.isArray(results[1].styles) ? results[1].styles : []).filter(function (s) { return s && s.name; });
      if (!styles.length) styles = [{ name: 'default', title: 'default' }];
      state.date = isDate(meta.default) ? meta.default : (isDate(meta.last) ? meta.last : formatISO(new Date()));
      state.style = styles.some(function (s) { return s.name === 'default'; }) ? 'default' : styles[0].name;
      buildControls();
      var view = applyHash(readHash());
      if (!isDate(state.from)) state.compare = false;
      updateTimelineUI();
      createMap(view);
      // Fit to the changes at start only when the address did not say where to look.
      fitOnNextChanges = state.compare && !view;
      refreshAll();
      window.addEventListener('hashchange', onHashChange);
    }).catch(function (err) {
      setLoading('start', false);
      setError('start', 'Cannot start the viewer: ' + err.message);
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
