// Undo a clear: the org's archived sessions (each clear moves the session here, never deletes it)
// with when, why, who and whether it held a linked login; restoring one, after a confirmation,
// while the org has no live session. The page then says whether WhatsApp took it back.
import { h, replaceChildren } from '../dom.js';
import { t } from '../../i18n.js';
import { get, post, enc, asArray } from '../api.js';
import { sessions, subscribe } from '../live.js';
import { dateTime, isoAttr } from '../format.js';
import { confirmDialog } from '../dialog.js';
import { success, failure } from '../notices.js';

// open or about to open: a restore would replace it, and the server refuses
const LIVE = ['STARTING', 'QR_REQUIRED', 'PAIRING_CODE', 'CONNECTED', 'RECONNECTING'];

// the reasons Vigía itself writes (English on the server), in the page's language
const REASONS = {
  logged_out: 'archives.reason.loggedOut',
  'clear requested over HTTP': 'archives.reason.clear',
  'logout requested over HTTP': 'archives.reason.logout',
};

/** The card of org {@code org}; {@code load()} once the org is known to be this person's. */
export function archivesCard(org) {
  const base = `/api/sessions/${enc(org)}`;
  const card = h('section', { class: 'card', 'aria-labelledby': 'archives-heading', hidden: true, dataset: { testid: 'archives' } });
  let archives = null;
  let busy = false;
  let alive = true;
  let loading = false;
  let lastState = null;
  let lastSignature = null;
  // after this person's restore: the page says how WhatsApp answered
  let awaitingAnswer = false;

  function view() {
    return sessions.get(org);
  }

  /** Not live and holding no login (a kept login shows as {@code me}): nothing to overwrite. */
  function canRestore() {
    const v = view();
    return Boolean(v) && !LIVE.includes(v.state) && !v.me;
  }

  async function load() {
    if (loading || !alive) return;
    loading = true;
    try {
      const data = await get(`${base}/archives`);
      archives = asArray(data, 'archives');
    } catch (e) {
      archives = e.status === 403 || e.status === 404 ? null : 'unavailable';
    } finally {
      loading = false;
    }
    lastSignature = null;
    render();
  }

  function render() {
    if (!alive) return;
    if (archives === null) {
      card.hidden = true;
      return;
    }
    const signature = JSON.stringify([archives, busy, canRestore()]);
    if (signature === lastSignature) return;
    lastSignature = signature;
    card.hidden = false;
    const heading = h('h2', { id: 'archives-heading', text: t('archives.title') });
    if (archives === 'unavailable') {
      replaceChildren(card, heading, h('p', { class: 'muted', text: t('archives.unavailable') }));
      return;
    }
    if (archives.length === 0) {
      replaceChildren(card, heading, h('p', { class: 'muted', dataset: { testid: 'archives-empty' }, text: t('archives.empty') }));
      return;
    }
    const restorable = canRestore();
    replaceChildren(card, heading,
      h('p', { class: 'muted', text: t('archives.intro') }),
      restorable ? null : h('p', { class: 'muted small', dataset: { testid: 'archives-live-hint' }, text: t('archives.liveHint') }),
      h('div', { class: 'table-wrap' },
        h('table', { class: 'table', dataset: { testid: 'archives-table' } },
          h('caption', { class: 'sr-only', text: t('archives.caption') }),
          h('thead', {}, h('tr', {}, ['archives.col.time', 'archives.col.reason', 'archives.col.actor',
            'archives.col.login', 'archives.col.actions'].map((k) => h('th', { scope: 'col', text: t(k) })))),
          h('tbody', {}, archives.map((a) => row(a, restorable))))));
  }

  function row(a, restorable) {
    const cell = (key, ...content) => h('td', { 'data-label': t(key) }, ...content);
    const when = dateTime(a.archivedAt);
    return h('tr', { dataset: { testid: 'archive-row', archive: a.id, linked: String(Boolean(a.linked)) } },
      cell('archives.col.time', h('time', { datetime: isoAttr(a.archivedAt) }, when)),
      cell('archives.col.reason', reasonOf(a.reason)),
      cell('archives.col.actor', h('span', { text: actorOf(a.actor) })),
      cell('archives.col.login', h('span', { dataset: { testid: 'archive-login' }, text: loginOf(a) })),
      cell('archives.col.actions', a.linked
        ? h('button', {
          type: 'button', class: 'btn btn-secondary btn-small', disabled: busy || !restorable,
          'aria-label': t('archives.restoreLabel', { time: when }), dataset: { testid: 'archive-restore' },
          onclick: () => restore(a),
        }, t('archives.restore'))
        : null));
  }

  function reasonOf(reason) {
    if (!reason) return h('span', { class: 'muted', text: t('archives.reason.unknown') });
    if (REASONS[reason]) return h('span', { text: t(REASONS[reason]) });
    if (reason.startsWith('stale')) return h('span', { text: t('archives.reason.stale') });
    // someone else's words (the monitor's, an API client's): shown as they are, marked English
    return h('span', { lang: 'en', text: reason });
  }

  function actorOf(actor) {
    if (!actor) return t('archives.actor.unknown');
    if (actor.startsWith('user:')) return actor.slice('user:'.length);
    if (actor.startsWith('api-key:')) return t('archives.actor.key');
    if (actor === 'vigia' || actor === 'monitor') return t('archives.actor.vigia');
    return actor;
  }

  function loginOf(a) {
    if (!a.linked) return t('archives.notLinked');
    return a.phone ? t('archives.linked', { phone: '+' + a.phone }) : t('archives.linkedNoPhone');
  }

  async function restore(a) {
    const ok = await confirmDialog({
      title: t('archives.confirmTitle'),
      body: t('archives.confirmBody', { time: dateTime(a.archivedAt), phone: a.phone ? ` (+${a.phone})` : '' }),
      confirm: t('archives.confirm'),
      tone: 'primary',
    });
    if (!ok) return;
    busy = true;
    // WhatsApp may answer (over the stream) before the server's 202 arrives
    awaitingAnswer = true;
    render();
    try {
      await post(`${base}/archives/${enc(a.id)}/restore`, {});
      success(t('archives.restoring'));
    } catch (e) {
      awaitingAnswer = false;
      // 409: the session came alive meanwhile, or holds credentials the page did not know of
      failure(e.status === 409 ? { message: t('archives.refused') } : e, 'archives.failed');
    } finally {
      busy = false;
      // the state comes with the stream (or the poll), never from the 202 nor a read started now:
      // WhatsApp may have answered already, and an older view would hide its answer
      await load();
    }
  }

  /** The answer WhatsApp gave to the restored login, said once to the person who restored it. */
  function answered(state) {
    if (!awaitingAnswer) return;
    if (state === 'CONNECTED') {
      awaitingAnswer = false;
      success(t('archives.connected'));
    } else if (state === 'LOGGED_OUT') {
      awaitingAnswer = false;
      failure({ message: t('archives.rejected') });
    }
  }

  const unsubscribe = subscribe((event) => {
    if (event.type !== 'list' && event.org !== org) return;
    const v = view();
    const state = v ? v.state : null;
    if (state !== lastState) {
      answered(state);
      // a clear or a 401 adds an archive, a restore takes one: read the list again
      if (lastState !== null && archives !== null) load();
      lastState = state;
    }
    render();
  });

  return {
    element: card,
    load,
    unmount() {
      alive = false;
      unsubscribe();
    },
  };
}
