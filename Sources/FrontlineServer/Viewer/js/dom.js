/* Building the page. Text from the server only ever goes in with textContent, or through
 * escapeHTML for the one place Leaflet wants HTML (the attribution control). */

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The page's element with this id. */
export function $(id) { return document.getElementById(id); }

/** A new element with an optional class and text. */
export function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

/** A new SVG element with these attributes. */
export function svgEl(tag, attrs) {
  const e = document.createElementNS(SVG_NS, tag);
  Object.keys(attrs || {}).forEach((k) => e.setAttribute(k, String(attrs[k])));
  return e;
}

/** `s` as HTML text. */
export function escapeHTML(s) {
  return String(s === undefined || s === null ? '' : s)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
