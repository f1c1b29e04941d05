/* Dates (YYYY-MM-DD strings, compared as text) and numbers as the viewer writes them. */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function parseDate(s) { return new Date(s + 'T00:00:00Z'); }

/** A Date as YYYY-MM-DD (UTC). */
export function formatISO(d) { return d.toISOString().slice(0, 10); }

/** True for a real calendar day written YYYY-MM-DD. */
export function isDate(s) {
  if (typeof s !== 'string' || !DATE_RE.test(s)) return false;
  const d = parseDate(s);
  return !isNaN(d.getTime()) && formatISO(d) === s;
}

/** The day `n` days after `s`. */
export function addDays(s, n) {
  const d = parseDate(s);
  d.setUTCDate(d.getUTCDate() + n);
  return formatISO(d);
}

/** "26 Mar 2022" for "2022-03-26". */
export function humanDate(s) {
  if (!isDate(s)) return String(s);
  const d = parseDate(s);
  return d.getUTCDate() + ' ' + MONTHS[d.getUTCMonth()] + ' ' + d.getUTCFullYear();
}

/** The later of two dates. */
export function maxDate(a, b) { return a > b ? a : b; }
/** The earlier of two dates. */
export function minDate(a, b) { return a < b ? a : b; }

/** An area in km² with one decimal. */
export function formatArea(km2) {
  const v = Number(km2);
  if (!isFinite(v)) return '?';
  if (v > 0 && v < 0.05) return '< 0.1 km²';
  return v.toFixed(1) + ' km²';
}

/** A list of names, or "none". */
export function listText(values) {
  if (!Array.isArray(values) || values.length === 0) return 'none';
  return values.map(String).join(', ');
}

/** `v` kept within lo…hi. */
export function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }
