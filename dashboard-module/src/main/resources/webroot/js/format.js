// Dates, durations and countdowns in the page's language.
import { t, locale } from '../i18n.js';

export function parseTime(value) {
  if (value === undefined || value === null || value === '') return null;
  const ms = typeof value === 'number' ? (value < 1e12 ? value * 1000 : value) : Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/** "3 min 12 s", "2 h 5 min", "4 d 3 h" since the instant. */
export function durationSince(value, now = Date.now()) {
  const start = parseTime(value);
  if (start === null) return '—';
  return duration(Math.max(0, now - start));
}

export function duration(ms) {
  let sec = Math.floor(ms / 1000);
  const d = Math.floor(sec / 86400); sec -= d * 86400;
  const h = Math.floor(sec / 3600); sec -= h * 3600;
  const m = Math.floor(sec / 60); sec -= m * 60;
  if (d > 0) return t('time.dh', { d, h });
  if (h > 0) return t('time.hm', { h, m });
  if (m > 0) return t('time.ms', { m, s: sec });
  return t('time.s', { s: sec });
}

/** "0:42" until the instant; null once it passed. */
export function countdown(value, now = Date.now()) {
  const end = parseTime(value);
  if (end === null) return null;
  const left = Math.ceil((end - now) / 1000);
  if (left <= 0) return null;
  const m = Math.floor(left / 60);
  const s = left % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

export function dateTime(value) {
  const ms = parseTime(value);
  if (ms === null) return '—';
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(ms));
}

export function isoAttr(value) {
  const ms = parseTime(value);
  return ms === null ? undefined : new Date(ms).toISOString();
}

export function number(n) {
  return new Intl.NumberFormat(locale()).format(n);
}
