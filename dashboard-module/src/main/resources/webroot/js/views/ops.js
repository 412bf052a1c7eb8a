// Operations (admins): the old SSH runbook as a page — the engine, the store, the disk and the
// network, the problems with their fixes, every session, and restarting the engine.
import { h, replaceChildren } from '../dom.js';
import { t, has } from '../../i18n.js';
import { get, post, enc, asArray } from '../api.js';
import { confirmDialog } from '../dialog.js';
import { success, failure } from '../notices.js';
import { causeText } from '../causes.js';
import { durationSince, isoAttr, dateTime, number } from '../format.js';
import { stateBadge } from './overview.js';

const REFRESH_MS = 10000;

/** 1.5 GiB, 820 MiB: the same units as `vigia status`. */
export function bytes(n) {
  if (n === undefined || n === null) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = Number(n);
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u += 1; }
  return u === 0 ? `${number(v)} ${units[u]}` : `${number(Math.round(v * 10) / 10)} ${units[u]}`;
}

function statusLabel(status) {
  return has('ops.status.' + status) ? t('ops.status.' + status) : (status || '—');
}

/** The server's own (English) words, marked so for screen readers. */
function serverWords(text) {
  return text ? h('p', { class: 'muted small', lang: 'en', dataset: { testid: 'server-detail' }, text }) : null;
}

export function mountOps(main) {
  let alive = true;
  let busy = false;
  const machine = h('section', { class: 'card', 'aria-labelledby': 'ops-machine-heading', dataset: { testid: 'ops-machine' } },
    h('h2', { id: 'ops-machine-heading', text: t('ops.machine') }), h('p', { class: 'muted', text: t('common.loading') }));
  const problems = h('section', { class: 'card', 'aria-labelledby': 'ops-problems-heading', dataset: { testid: 'ops-problems' } },
    h('h2', { id: 'ops-problems-heading', text: t('ops.problems') }), h('p', { class: 'muted', text: t('common.loading') }));
  const sessionsCard = h('section', { class: 'card', 'aria-labelledby': 'ops-sessions-heading', dataset: { testid: 'ops-sessions' } },
    h('h2', { id: 'ops-sessions-heading', text: t('ops.sessions') }), h('p', { class: 'muted', text: t('common.loading') }));
  const restart = h('button', { type: 'button', class: 'btn btn-amber', dataset: { testid: 'ops-restart' }, onclick: restartEngine }, t('ops.restart.button'));
  const updated = h('p', { class: 'muted small', dataset: { testid: 'ops-updated' } });

  main.replaceChildren(
    h('div', { class: 'page-head' }, h('h1', { text: t('ops.title') }), h('p', { class: 'muted', text: t('ops.intro') })),
    machine,
    h('section', { class: 'card', 'aria-labelledby': 'ops-engine-heading' },
      h('h2', { id: 'ops-engine-heading', text: t('ops.restart.heading') }),
      h('p', { class: 'muted', text: t('ops.restart.hint') }),
      h('div', { class: 'actions' }, restart)),
    problems,
    sessionsCard,
    updated);

  function check(name, status, lines) {
    return h('div', { class: `ops-check check-${String(status || '').toLowerCase()}`, dataset: { testid: 'ops-check', check: name, status: status || 'UNKNOWN' } },
      h('dt', {}, t('ops.check.' + name)),
      h('dd', {}, h('strong', { dataset: { testid: 'ops-check-status' } }, statusLabel(status)), lines));
  }

  function diskLines(d) {
    const out = [];
    if (d.freeBytes !== undefined && d.totalBytes) {
      out.push(h('p', { dataset: { testid: 'ops-disk-space' } }, t('ops.disk.space', {
        free: bytes(d.freeBytes), total: bytes(d.totalBytes), percent: Math.round((100 * d.freeBytes) / d.totalBytes),
      })));
    }
    if (d.dataBytes !== undefined && d.dataBytes !== null) out.push(h('p', { text: t('ops.disk.data', { size: bytes(d.dataBytes) }) }));
    if (d.warnBelowBytes) out.push(h('p', { class: 'muted small', text: t('ops.disk.warnBelow', { size: bytes(d.warnBelowBytes) }) }));
    if (d.status === 'DOWN') out.push(h('p', { text: t('ops.disk.full') }));
    else if (d.status === 'WARN') out.push(h('p', { text: t('ops.disk.low') }));
    return out;
  }

  function networkLines(n) {
    if (!n.target) return [h('p', { text: t('ops.network.off') })];
    if (n.status === 'UP') return [h('p', { text: t('ops.network.up', { target: n.target, ms: n.millis === undefined ? '?' : n.millis }) })];
    if (n.status === 'DOWN') return [h('p', { text: t('ops.network.down', { target: n.target }) }), serverWords(n.detail)];
    return [h('p', { text: t('ops.network.unknown', { target: n.target }) })];
  }

  function renderMachine(s) {
    const engine = s.engine || {};
    const store = s.store || {};
    replaceChildren(machine,
      h('h2', { id: 'ops-machine-heading', text: t('ops.machine') }),
      h('dl', { class: 'facts ops-checks' },
        check('engine', engine.status, [h('p', { text: engine.name === 'simulated' ? t('ops.engine.simulated') : t('ops.engine.named', { name: engine.name || '—' }) }),
          engine.status === 'DOWN' ? serverWords(engine.detail) : null]),
        check('store', store.status, [h('p', { text: t('ops.store.named', { name: store.name || '—' }) }),
          store.status === 'DOWN' ? serverWords(store.detail) : null]),
        check('disk', (s.disk || {}).status, diskLines(s.disk || {})),
        check('network', (s.network || {}).status, networkLines(s.network || {}))));
  }

  function renderProblems(list) {
    replaceChildren(problems,
      h('h2', { id: 'ops-problems-heading', text: t('ops.problems') }),
      list.length === 0
        ? h('p', { dataset: { testid: 'ops-no-problems' }, text: t('ops.problems.none') })
        : h('ol', { class: 'ops-problems' }, list.map(problem)));
  }

  function problem(p) {
    const key = 'doctor.' + p.code;
    const known = has(key + '.problem');
    const what = known ? t(key + '.problem', { org: p.org || '' }) : p.problem;
    const fix = known ? t(key + '.fix', { org: p.org || '' }) : p.fix;
    return h('li', { class: `ops-problem severity-${p.severity}`, dataset: { testid: 'ops-problem', code: p.code, org: p.org || '' } },
      h('strong', {}, t('ops.severity.' + (['error', 'warning', 'action'].includes(p.severity) ? p.severity : 'error'))),
      ' ',
      p.org ? h('a', { href: '#/org/' + enc(p.org) }, t('ops.problems.org', { org: p.org })) : null,
      p.org ? ' · ' : null,
      h('span', known ? {} : { lang: 'en' }, what),
      h('p', { class: 'ops-fix' }, h('span', known ? {} : { lang: 'en' }, t('ops.problems.fix', { fix }))));
  }

  function renderSessions(list) {
    if (list.length === 0) {
      replaceChildren(sessionsCard, h('h2', { id: 'ops-sessions-heading', text: t('ops.sessions') }), h('p', { class: 'muted', text: t('ops.sessions.none') }));
      return;
    }
    replaceChildren(sessionsCard,
      h('h2', { id: 'ops-sessions-heading', text: t('ops.sessions') }),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table', dataset: { testid: 'ops-sessions-table' } },
        h('thead', {}, h('tr', {}, ['overview.col.org', 'overview.col.state', 'overview.col.since', 'overview.col.cause', 'overview.col.actions']
          .map((k) => h('th', { scope: 'col', text: t(k) })))),
        h('tbody', {}, list.map((s) => h('tr', { dataset: { testid: 'ops-session-row', org: s.org, state: s.state } },
          h('th', { scope: 'row', 'data-label': t('overview.col.org') }, h('a', { href: '#/org/' + enc(s.org) }, s.name && s.name !== s.org ? `${s.name} (${s.org})` : s.org)),
          h('td', { 'data-label': t('overview.col.state') }, stateBadge(s.state)),
          h('td', { 'data-label': t('overview.col.since') }, s.since ? h('time', { datetime: isoAttr(s.since), dataset: { since: s.since } }, durationSince(s.since)) : '—'),
          h('td', { 'data-label': t('overview.col.cause') }, s.cause ? causeText(s.cause) : '—'),
          h('td', { 'data-label': t('overview.col.actions') },
            h('a', { class: 'btn btn-secondary btn-small', href: `#/org/${enc(s.org)}/logs`, dataset: { testid: 'ops-logs-link' } }, t('ops.logs')))))))));
  }

  async function load() {
    try {
      const report = await get('/api/ops/doctor');
      if (!alive) return;
      renderMachine(report);
      renderProblems(asArray(report.problems));
      renderSessions(asArray(report.sessions));
      updated.textContent = t('ops.updated', { time: dateTime(report.at) });
    } catch (e) {
      if (!alive) return;
      replaceChildren(machine, h('h2', { id: 'ops-machine-heading', text: t('ops.machine') }), h('p', { class: 'muted', text: t('ops.unavailable') }));
      if (e.status !== 503) failure(e);
    }
  }

  async function restartEngine() {
    if (busy) return;
    const ok = await confirmDialog({
      title: t('ops.restart.title'), body: t('ops.restart.body'), confirm: t('ops.restart.confirm'), tone: 'amber',
    });
    if (!ok) return;
    busy = true;
    restart.disabled = true;
    try {
      const r = await post('/api/ops/engine/restart', {});
      const count = asArray(r.orgs).length;
      if (r.ready) success(t('ops.restart.done', { count }));
      else failure({ message: t('ops.restart.notReady') });
    } catch (e) {
      failure(e);
    } finally {
      busy = false;
      restart.disabled = false;
      if (alive) load();
    }
  }

  load();
  const timer = setInterval(() => { if (alive) load(); }, REFRESH_MS);
  return () => {
    alive = false;
    clearInterval(timer);
  };
}
