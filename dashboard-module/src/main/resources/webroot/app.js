// Vigía's page: hash routes, the signed-in user, the header, and one ticking clock for every live time.
import { loadI18n, t, setLang, currentLang, onLangChange, translateStatic } from './i18n.js';
import { get, post, whenUnauthorized } from './js/api.js';
import { startLive, stopLive, refreshIndicator, sessions, refresh } from './js/live.js';
import { durationSince, countdown } from './js/format.js';
import { clearNotices, failure, info } from './js/notices.js';
import { mountLogin } from './js/views/login.js';
import { mountOverview } from './js/views/overview.js';
import { mountOrg } from './js/views/org.js';
import { mountAdminOrgs, mountAdminUsers, mountAdminKeys } from './js/views/admin.js';
import { mountOps } from './js/views/ops.js';
import { mountOrgLogs } from './js/views/orglogs.js';

const OLD_ADDRESS = '/dashboard/whatsapp-baileys';

const app = {
  me: null,
  unmount: null,
  returnTo: null,
};

function parseRoute() {
  const hash = location.hash.replace(/^#\/?/, '');
  const parts = hash.split('/').filter(Boolean).map((p) => {
    try { return decodeURIComponent(p); } catch (e) { return p; }
  });
  if (parts.length === 0) return { name: 'home' };
  if (parts[0] === 'login') return { name: 'login' };
  if (parts[0] === 'org' && parts[1] && parts[2] === 'logs') return { name: 'org-logs', org: parts[1] };
  if (parts[0] === 'org' && parts[1]) return { name: 'org', org: parts[1] };
  if (parts[0] === 'admin' && ['orgs', 'users', 'keys', 'ops'].includes(parts[1])) return { name: 'admin-' + parts[1] };
  return { name: 'overview' };
}

async function route() {
  const main = document.getElementById('main');
  if (app.unmount) {
    app.unmount();
    app.unmount = null;
  }
  let r = parseRoute();
  if (!app.me) {
    if (r.name !== 'login') app.returnTo = location.hash || null;
    showHeader();
    app.unmount = mountLogin(main, { onLoggedIn });
    document.title = t('login.title') + ' · Vigía';
    return;
  }
  if (r.name === 'login') {
    location.replace('#/');
    return;
  }
  if (r.name === 'home') {
    const first = await firstOrg();
    // the old page's address opens the user's own organization, as it used to
    if (location.pathname.startsWith(OLD_ADDRESS) && first) {
      location.replace('#/org/' + encodeURIComponent(first));
      return;
    }
    r = { name: 'overview' };
  }
  if (r.name.startsWith('admin-') && app.me.role !== 'admin') r = { name: 'overview' };
  showHeader(r.name);
  const ctx = { me: app.me };
  if (r.name === 'org') app.unmount = mountOrg(main, r.org, ctx);
  else if (r.name === 'org-logs') app.unmount = mountOrgLogs(main, r.org, ctx);
  else if (r.name === 'admin-ops') app.unmount = mountOps(main, ctx);
  else if (r.name === 'admin-orgs') app.unmount = mountAdminOrgs(main, ctx);
  else if (r.name === 'admin-users') app.unmount = mountAdminUsers(main, ctx);
  else if (r.name === 'admin-keys') app.unmount = mountAdminKeys(main, ctx);
  else app.unmount = mountOverview(main, ctx);
  const heading = main.querySelector('h1');
  document.title = (heading ? heading.textContent + ' · ' : '') + 'Vigía';
}

async function firstOrg() {
  if (Array.isArray(app.me.orgs) && app.me.orgs.length > 0) return app.me.orgs[0];
  await refresh();
  const orgs = [...sessions.keys()].sort();
  return orgs[0] || null;
}

async function onLoggedIn() {
  app.me = await get('/api/me');
  startLive();
  const target = app.returnTo && app.returnTo !== '#/login' ? app.returnTo : '#/';
  app.returnTo = null;
  if (location.hash === target) route();
  else location.hash = target;
}

function showHeader(current) {
  const signedIn = Boolean(app.me);
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('logout').hidden = !signedIn;
  const isAdmin = signedIn && app.me.role === 'admin';
  document.querySelectorAll('[data-admin-only]').forEach((el) => { el.hidden = !isAdmin; });
  document.getElementById('who').textContent = signedIn
    ? t('nav.who', { user: app.me.username, role: t(app.me.role === 'admin' ? 'role.admin' : 'role.operator') })
    : '';
  document.querySelectorAll('[data-nav]').forEach((el) => {
    if (el.dataset.nav === current || ((current === 'org' || current === 'org-logs') && el.dataset.nav === 'overview')) el.setAttribute('aria-current', 'page');
    else el.removeAttribute('aria-current');
  });
  const lang = document.getElementById('lang-switch');
  lang.textContent = t('lang.switch');
  lang.setAttribute('lang', currentLang() === 'es' ? 'en' : 'es');
  lang.setAttribute('aria-label', t('lang.switchLabel'));
}

async function logout() {
  try {
    await post('/auth/logout', {}, { quiet401: true });
  } catch (e) {
    if (e.status !== 401) failure(e);
  }
  signedOut();
}

/**
 * Back to the login. {@code expired}: the server forgot the session (it restarted, or the session
 * timed out): say so, and come back to the same page after the next login.
 */
function signedOut({ expired = false } = {}) {
  app.me = null;
  stopLive();
  clearNotices();
  if (expired) {
    app.returnTo = location.hash && location.hash !== '#/login' ? location.hash : null;
    info(t('login.expired'));
  }
  if (location.hash === '#/login') route();
  else location.hash = '#/login';
}

/**
 * The engine, on every page and before the login: the simulated one is a demo, not WhatsApp; a
 * real one that cannot run says why and what to do (the readiness check's words).
 */
let engine = null;
async function checkEngine() {
  try {
    const r = await fetch('/health/ready', { cache: 'no-store' });
    engine = ((await r.json()).checks || {}).engine || null;
  } catch (e) {
    engine = null;
  }
  showEngine();
}

function showEngine() {
  const banner = document.getElementById('engine-banner');
  let text = '';
  if (engine && engine.name === 'simulated') text = t('engine.demo');
  else if (engine && engine.status === 'DOWN') text = t('engine.down', { detail: engine.detail || '' });
  banner.textContent = text;
  banner.dataset.engine = engine ? engine.name || '' : '';
  banner.hidden = !text;
}

/** Once a second: every "time in state" and every countdown on the page. */
function tick() {
  const now = Date.now();
  document.querySelectorAll('[data-since]').forEach((el) => {
    el.textContent = durationSince(el.dataset.since, now);
  });
  document.querySelectorAll('[data-until]').forEach((el) => {
    const left = countdown(el.dataset.until, now);
    el.textContent = left ? t(el.dataset.untilKey || 'common.expiresIn', { time: left }) : t(el.dataset.expiredKey || 'common.expired');
  });
}

async function main() {
  await loadI18n();
  translateStatic(document);
  showHeader();
  document.getElementById('lang-switch').addEventListener('click', () => {
    setLang(currentLang() === 'es' ? 'en' : 'es');
  });
  document.getElementById('logout').addEventListener('click', logout);
  onLangChange(() => {
    refreshIndicator();
    showEngine();
    route();
  });
  whenUnauthorized(() => {
    if (app.me) signedOut({ expired: true });
  });
  window.addEventListener('hashchange', () => {
    route().then(() => document.getElementById('main').focus({ preventScroll: true }));
  });
  setInterval(tick, 1000);
  checkEngine();
  setInterval(checkEngine, 30000);
  try {
    app.me = await get('/api/me', { quiet401: true });
  } catch (e) {
    app.me = null;
  }
  if (app.me) startLive();
  await route();
}

main();
