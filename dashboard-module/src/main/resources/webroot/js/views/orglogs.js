// One organization's log (the old `pm2 logs whatsapp-server --lines 50`): its history and the
// server's lines about it, following live until the page is left.
import { h, replaceChildren } from '../dom.js';
import { t } from '../../i18n.js';
import { get, enc, asArray } from '../api.js';
import { causeText, stateLabel } from '../causes.js';
import { dateTime, isoAttr } from '../format.js';

const LINES = 50;
/** The page keeps at most this many lines of each kind; older ones scroll away. */
const KEEP = 500;
const KINDS = ['state', 'decision', 'alert', 'repair', 'operation'];

export function mountOrgLogs(main, org) {
  let alive = true;
  let source = null;
  const title = h('h1', { dataset: { testid: 'orglogs-title' } }, t('orglogs.title', { name: org }));
  const live = h('p', { class: 'muted small', dataset: { testid: 'orglogs-live', live: 'off' }, role: 'status' }, t('orglogs.connecting'));
  const journal = h('ol', { class: 'timeline', dataset: { testid: 'orglogs-journal' } });
  const server = h('ol', { class: 'log-lines', dataset: { testid: 'orglogs-server' } });
  const journalEmpty = h('p', { class: 'muted', dataset: { testid: 'orglogs-journal-empty' }, text: t('orglogs.emptyJournal') });
  const serverEmpty = h('p', { class: 'muted', dataset: { testid: 'orglogs-server-empty' }, text: t('orglogs.emptyServer') });

  main.replaceChildren(
    h('div', { class: 'page-head' },
      h('p', {}, h('a', { href: '#/org/' + enc(org), class: 'back-link' }, t('orglogs.back'))),
      title,
      h('p', { class: 'muted', text: t('orglogs.intro', { n: LINES }) }),
      live),
    h('section', { class: 'card', 'aria-labelledby': 'orglogs-journal-heading' },
      h('h2', { id: 'orglogs-journal-heading', text: t('orglogs.journal') }), journalEmpty, journal),
    h('section', { class: 'card', 'aria-labelledby': 'orglogs-server-heading' },
      h('h2', { id: 'orglogs-server-heading', text: t('orglogs.server') }),
      h('p', { class: 'muted small', text: t('orglogs.serverNote') }), serverEmpty, server));

  function journalItem(e) {
    const kind = KINDS.includes(e.kind) ? e.kind : 'other';
    const moved = e.from || e.to;
    return h('li', { class: `timeline-item kind-${kind}`, dataset: { testid: 'orglogs-entry', kind } },
      h('div', { class: 'timeline-head' },
        h('time', { datetime: isoAttr(e.at) }, dateTime(e.at)),
        h('strong', {}, moved ? [e.from ? stateLabel(e.from) : '—', ' → ', e.to ? stateLabel(e.to) : '—'] : t('kind.' + kind))),
      e.cause ? h('p', { class: 'timeline-cause' }, causeText(e.cause)) : null,
      e.message && !(e.cause && e.cause.message === e.message) ? h('p', { class: 'muted', lang: 'en', text: e.message }) : null,
      e.actor ? h('p', { class: 'muted small', dataset: { testid: 'orglogs-actor' }, text: t('timeline.actor', { actor: e.actor }) }) : null);
  }

  function serverItem(l) {
    const when = typeof l.timestamp === 'number' ? l.timestamp : null;
    const logger = String(l.loggerName || '').split('.').pop();
    return h('li', { class: `log-line level-${String(l.level || '').toLowerCase()}`, dataset: { testid: 'orglogs-line' } },
      h('time', { datetime: isoAttr(when) }, dateTime(when)), ' ',
      h('span', { class: 'log-level', text: l.level || '' }), ' ',
      h('span', { class: 'log-logger', text: logger }), ' ',
      // the server's own words are English
      h('span', { class: 'log-message', lang: 'en', text: (l.formattedMessage || l.message || '') + (l.error ? ` (${l.error})` : '') }));
  }

  function add(list, empty, item) {
    empty.hidden = true;
    list.append(item);
    while (list.children.length > KEEP) list.firstElementChild.remove();
  }

  function setLive(mode) {
    live.dataset.live = mode;
    live.textContent = t(mode === 'on' ? 'orglogs.live' : 'orglogs.reconnecting');
  }

  async function load() {
    try {
      const recent = await get(`/api/sessions/${enc(org)}/logs?lines=${LINES}`);
      if (!alive) return;
      replaceChildren(journal, asArray(recent.journal).map(journalItem));
      replaceChildren(server, asArray(recent.log).map(serverItem));
      journalEmpty.hidden = journal.children.length > 0;
      serverEmpty.hidden = server.children.length > 0;
      follow();
    } catch (e) {
      if (!alive) return;
      replaceChildren(journal);
      journalEmpty.textContent = t(e.status === 403 ? 'org.noAccess' : 'orglogs.unavailable', { org });
      live.dataset.live = 'off';
      live.textContent = '';
    }
    try {
      const view = await get(`/api/sessions/${enc(org)}`);
      if (alive && view && view.name && view.name !== org) {
        title.textContent = t('orglogs.title', { name: view.name });
        document.title = `${title.textContent} · Vigía`;
      }
    } catch (e) { /* the heading keeps the number */ }
  }

  /** Every new line as it is written; EventSource reconnects by itself after a drop. */
  function follow() {
    if (source) source.close();
    source = new EventSource(`/api/sessions/${enc(org)}/logs/stream`);
    source.addEventListener('open', () => { if (alive) setLive('on'); });
    source.addEventListener('error', () => { if (alive) setLive('off'); });
    source.addEventListener('journal', (e) => {
      try { add(journal, journalEmpty, journalItem(JSON.parse(e.data))); } catch (x) { /* a line the page cannot read */ }
    });
    source.addEventListener('log', (e) => {
      try { add(server, serverEmpty, serverItem(JSON.parse(e.data))); } catch (x) { /* a line the page cannot read */ }
    });
  }

  load();
  return () => {
    alive = false;
    if (source) source.close();
  };
}
