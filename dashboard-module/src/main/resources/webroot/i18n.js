// Every text of the page, in Spanish and English; the dictionaries live in i18n.json (checked by WebrootTest).

const STORAGE_KEY = 'vigia.lang';
export const LANGS = ['es', 'en'];

let dictionaries = { es: {}, en: {} };
let lang = 'en';
const listeners = [];

/** Loads the dictionaries and picks the language: the remembered choice, else the browser's. */
export async function loadI18n() {
  const response = await fetch(new URL('./i18n.json', import.meta.url), { cache: 'no-cache' });
  dictionaries = await response.json();
  lang = initialLang();
  document.documentElement.lang = lang;
}

function initialLang() {
  let saved = null;
  try { saved = localStorage.getItem(STORAGE_KEY); } catch (e) { saved = null; }
  if (LANGS.includes(saved)) return saved;
  const browser = (navigator.language || '').toLowerCase();
  return browser.startsWith('es') ? 'es' : 'en';
}

export function currentLang() {
  return lang;
}

/** BCP 47 locale for dates and numbers. */
export function locale() {
  return lang === 'es' ? 'es-ES' : 'en-GB';
}

export function setLang(next) {
  if (!LANGS.includes(next) || next === lang) return;
  lang = next;
  try { localStorage.setItem(STORAGE_KEY, next); } catch (e) { /* private mode: the choice lasts this visit */ }
  document.documentElement.lang = lang;
  translateStatic(document);
  listeners.forEach((fn) => fn(lang));
}

export function onLangChange(fn) {
  listeners.push(fn);
}

/** t('qr.expiresIn', {time: '0:42'}); a missing key shows itself, so it is noticed. */
export function t(key, params) {
  const dict = dictionaries[lang] || {};
  let text = dict[key];
  if (text === undefined) text = (dictionaries.en || {})[key];
  if (text === undefined) return key;
  if (params) {
    text = text.replace(/\{(\w+)\}/g, (m, name) => (params[name] === undefined ? m : String(params[name])));
  }
  return text;
}

/** True when the dictionary has the key (for codes and states that may be new to this page). */
export function has(key) {
  return Object.prototype.hasOwnProperty.call(dictionaries[lang] || {}, key);
}

/** Fills elements marked data-i18n (text), data-i18n-label (aria-label), data-i18n-placeholder. */
export function translateStatic(root) {
  root.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll('[data-i18n-label]').forEach((el) => { el.setAttribute('aria-label', t(el.dataset.i18nLabel)); });
  root.querySelectorAll('[data-i18n-placeholder]').forEach((el) => { el.setAttribute('placeholder', t(el.dataset.i18nPlaceholder)); });
}
