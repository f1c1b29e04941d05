/* The map's tile layer: the style's TileJSON for the date, and a double-buffered swap so that
 * moving along the timeline never flashes an empty map. */

import { getTileJSON } from './api.js';
import { escapeHTML } from './dom.js';
import { clamp, humanDate } from './format.js';
import { boundsOf, map } from './map.js';
import { dataset, state } from './state.js';
import { load } from './status.js';

const retina = (window.devicePixelRatio || 1) > 1.5;
const tiles = { shown: null, pending: null, shownTemplate: null, shownDate: null, timer: null };

/** The date of the tiles on the map (they stay when a newer date cannot be shown). */
export function shownDate() { return tiles.shownDate; }

/** Loads the TileJSON of the state's style and date and shows its tiles. No cache of our own: the
 *  browser revalidates with the ETag, and a reloaded dataset's new version (the tiles' ?v=) reaches
 *  the viewer on the next change of date or style. */
export function refreshTiles() {
  const date = state.date;
  const tileJSON = getTileJSON(state.style, date, retina).then((tj) => {
    if (!tj || !Array.isArray(tj.tiles) || typeof tj.tiles[0] !== 'string') throw new Error('The TileJSON for ' + date + ' has no tile URL.');
    return tj;
  });
  return load('tiles', tileJSON, 'Map of ' + humanDate(date), (tj) => showTiles(tj, date));
}

function zoomOf(v, fallback) {
  const n = Number(v);
  return isFinite(n) ? clamp(Math.round(n), 0, 22) : fallback;
}

function showTiles(tj, date) {
  const template = tj.tiles[0];
  const minZoom = zoomOf(tj.minzoom, 0);
  const maxZoom = Math.max(minZoom, zoomOf(tj.maxzoom, 18));
  map.setMinZoom(minZoom);
  map.setMaxZoom(maxZoom);

  if (template === tiles.shownTemplate && !tiles.pending) {
    tiles.shownDate = date;
    return;
  }
  const options = {
    minZoom: minZoom,
    maxZoom: maxZoom,
    // @2x tiles cover the same ground as 1x tiles at twice the pixels: shown in 256 px slots.
    tileSize: 256,
    attribution: escapeHTML(tj.attribution || dataset.meta.attribution || ''),
    keepBuffer: 3,
    updateWhenZooming: false
  };
  const bounds = boundsOf(tj.bounds);
  if (bounds) options.bounds = bounds;

  // The new date's layer is drawn over the old one, which is removed once the new tiles have loaded.
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
  const layer = L.tileLayer(template, options);
  tiles.pending = layer;
  let done = false;
  const swap = () => {
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
