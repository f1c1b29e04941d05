/* The Leaflet map (Leaflet is a classic script: the global `L`), its panes, and moving it so
 * that what is shown stays clear of the control panel. */

import { $ } from './dom.js';
import { clamp } from './format.js';

/** The Leaflet map, once createMap has run. */
export let map = null;

/** Creates the map in #map, at `view` {z, lat, lon} or else fitted to `bbox` [w, s, e, n]. */
export function createMap(view, bbox) {
  map = L.map('map', { zoomControl: true, attributionControl: true, minZoom: 0, maxZoom: 18, worldCopyJump: false, keyboard: true });
  map.attributionControl.setPrefix('Leaflet');
  // Changes over the tiles, events over the changes.
  map.createPane('changes').style.zIndex = 420;
  map.createPane('events').style.zIndex = 450;
  L.control.scale({ imperial: false, position: 'bottomleft' }).addTo(map);
  if (view) map.setView([view.lat, view.lon], view.z);
  else fitToBox(bbox);
  return map;
}

/** The map's view {z, lat, lon}, as the address keeps it. */
export function currentView() {
  if (!map) return null;
  const c = map.getCenter();
  return { z: map.getZoom(), lat: c.lat, lon: c.lng };
}

/** Moves the map to `view` {z, lat, lon}, within the zooms it allows. */
export function setView(view) {
  map.setView([view.lat, view.lon], clamp(view.z, map.getMinZoom(), map.getMaxZoom()));
}

/** Bounds [w, s, e, n] as Leaflet's LatLngBounds, or null when they are not four numbers. */
export function boundsOf(box) {
  const b = Array.isArray(box) && box.length === 4 ? box.map(Number) : null;
  return b && b.every(isFinite) ? L.latLngBounds([b[1], b[0]], [b[3], b[2]]) : null;
}

/** Fits the map to `box` [w, s, e, n], or shows the world. */
function fitToBox(box) {
  const bounds = boundsOf(box);
  if (bounds) map.fitBounds(bounds, fitOptions());
  else map.setView([0, 0], 2);
}

/** Padding that keeps fitted features clear of the control panel. */
function panelPadding() {
  const panel = $('panel');
  if (!panel || panel.hidden) return { tl: [20, 20], br: [20, 20] };
  const r = panel.getBoundingClientRect();
  if (r.width < window.innerWidth * 0.8) return { tl: [20, 20], br: [r.width + 30, 20] };
  return { tl: [20, 20], br: [20, r.height + 20] };
}

/** Options for fitBounds/flyToBounds that leave the panel free, plus `extra`. */
export function fitOptions(extra) {
  const pad = panelPadding();
  return Object.assign({ paddingTopLeft: pad.tl, paddingBottomRight: pad.br }, extra || {});
}

/** Options for a pop-up that Leaflet pans clear of the panel. */
export function popupOptions() {
  const pad = panelPadding();
  return { maxWidth: 300, autoPanPaddingTopLeft: L.point(pad.tl[0], pad.tl[1]), autoPanPaddingBottomRight: L.point(pad.br[0], pad.br[1]) };
}

let pendingOpen = null;

/** Opens a pop-up when the map arrives (`open` null: none), replacing the one a flight still
 *  under way would open. Opened after the moveend has been handled: a pop-up's auto-pan stops a
 *  running pan, which fires moveend inside Leaflet 1.7's Popup._adjustPan, and a pop-up opened
 *  there closes the first one under it (a TypeError in _adjustPan). */
function openOnArrival(open) {
  if (pendingOpen) map.off('moveend', pendingOpen);
  pendingOpen = null;
  if (!open) return;
  pendingOpen = () => {
    pendingOpen = null;
    setTimeout(open, 0);
  };
  map.once('moveend', pendingOpen);
}

/** Shows a feature's layer (a marker or a shape) and opens its pop-up; no flight when the user
 *  asked for reduced motion. */
export function flyToLayer(layer) {
  const reduce = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  const open = () => { if (map.hasLayer(layer)) layer.openPopup(); };
  if (layer.getLatLng) {
    const target = layer.getLatLng();
    const zoom = clamp(Math.max(map.getZoom(), 11), map.getMinZoom(), map.getMaxZoom());
    if (reduce || (map.getZoom() === zoom && map.getBounds().pad(-0.2).contains(target))) {
      openOnArrival(null);
      if (!reduce) map.panTo(target);
      else map.setView(target, zoom, { animate: false });
      open();
    } else {
      openOnArrival(open);
      map.flyTo(target, zoom, { duration: 1.2 });
    }
  } else if (layer.getBounds) {
    const bounds = layer.getBounds();
    openOnArrival(bounds.isValid() ? open : null);
    if (!bounds.isValid()) open();
    else if (reduce) map.fitBounds(bounds, fitOptions({ maxZoom: 13, animate: false }));
    else map.flyToBounds(bounds, fitOptions({ maxZoom: 13 }));
  }
}
