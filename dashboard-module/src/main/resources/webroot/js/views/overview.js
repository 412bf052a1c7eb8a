// Every organization the user may see: state, time in state, cause in plain words, health, messages today.
import { h, replaceChildren } from '../dom.js';
import { t } from '../../i18n.js';
import { get, getOptional, post, enc, asArray } from '../api.js';
import { sessions, subscribe, mergeAndEmit, refresh } from '../live.js';
import { causeText, stateLabel, stateTone, healthLabel, healthFor } from '../causes.js';
import { durationSince, isoAttr, number } from '../format.js';
import { dailyStats } from '../chart.js';
import { failure, notify, success, info } from '../notices.js';

/** The coloured state badge; the same hook (data-testid="state") everywhere. */
export function stateBadge(state, large = false) {
  return h('span', {
    class: `badge badge-${stateTone(state)}${large ? ' badge-large' : ''}`,
    dataset: { testid: 'state', state: state || 'UNKNOWN' },
  }, h('span', { class: 'badge-dot', 'aria-hidden': 'true' }), stateLabel(state));
}

export function canConnect(state) {
  return ['STOPPED', 'LOGGED_OUT', 'FAILED', 'BANNED', undefined, null].includes(state);
}

export function mountOverview(main, { me }) {
  const names = new Map();
  const sentToday = new Map();
  const body = h('div', { class: 'overview-body' });
  main.replaceChildren(
    h('div', { class: 'page-head' },
      h('h1', { text: t('overview.title') }),
      h('p', { class: 'muted', text: t('overview.intro') })),
    body);

  let lastSignature = null;
  // cluster mode, admins only: the live nodes a session may be moved to, read when the list first
  // names a node and again after a refused move; the node chosen in each row survives re-renders
  let nodes = null;
  let nodesAsked = false;
  const moveTo = new Map();

  function render() {
    const list = [...sessions.values()].sort((a, b) => String(a.org).localeCompare(String(b.org), undefined, { numeric: true }));
    // polls bring the same list most of the time: rebuild only on a real change
    const signature = JSON.stringify([list, [...names], [...sentToday], nodes]);
    if (signature === lastSignature) return;
    lastSignature = signature;
    if (list.length === 0) {
      replaceChildren(body, h('div', { class: 'card empty', dataset: { testid: 'overview-empty' } },
        h('p', { text: t('overview.empty') }),
        me.role === 'admin' ? h('a', { class: 'btn btn-primary', href: '#/admin/orgs' }, t('overview.createOrg')) : null));
      return;
    }
    // cluster mode: each session names the node that runs it; a single node shows no such column
    const clustered = list.some((view) => view.node);
    if (clustered && me.role === 'admin' && !nodesAsked) loadNodes();
    const rows = list.map((view) => row(view, clustered));
    replaceChildren(body, h('div', { class: 'table-wrap' },
      h('table', { class: 'table overview-table', dataset: { testid: 'overview-table' } },
        h('caption', { class: 'sr-only', text: t('overview.caption') }),
        h('thead', {}, h('tr', {},
          ['overview.col.org', 'overview.col.state', ...(clustered ? ['overview.col.node'] : []),
            'overview.col.since', 'overview.col.cause', 'overview.col.health', 'overview.col.today',
            'overview.col.actions'].map((k) => h('th', { scope: 'col', text: t(k) })))),
        h('tbody', {}, rows))));
  }

  function row(view, clustered) {
    const org = view.org;
    const name = view.name && view.name !== org ? view.name : names.get(org);
    const today = sentToday.get(org);
    const actions = [h('a', { class: 'btn btn-secondary btn-small', href: '#/org/' + enc(org), dataset: { testid: 'open-org' } }, t('overview.open'))];
    if (canConnect(view.state)) {
      actions.push(h('button', {
        type: 'button', class: 'btn btn-primary btn-small', dataset: { testid: 'connect', org },
        onclick: (e) => connect(org, e.currentTarget),
      }, t('org.connect')));
    }
    return h('tr', { dataset: { testid: 'org-row', org, state: view.state } },
      h('th', { scope: 'row', 'data-label': t('overview.col.org') },
        h('a', { href: '#/org/' + enc(org), class: 'org-link', dataset: { testid: 'org-link' } }, name ? `${name}` : org),
        name ? h('span', { class: 'muted small', text: ` · ${org}` }) : null),
      h('td', { 'data-label': t('overview.col.state') }, stateBadge(view.state)),
      clustered ? h('td', { 'data-label': t('overview.col.node') },
        h('span', { dataset: { testid: 'org-node' } }, view.node || '—'), moveControl(view)) : null,
      h('td', { 'data-label': t('overview.col.since') },
        h('time', { datetime: isoAttr(view.since), dataset: { since: view.since || '' } }, durationSince(view.since))),
      h('td', { 'data-label': t('overview.col.cause'), class: 'cause' }, view.cause ? causeText(view.cause) : '—'),
      h('td', { 'data-label': t('overview.col.health'), dataset: { testid: 'org-health' } }, healthLabel(healthFor(healthOf(view), view.state))),
      h('td', { 'data-label': t('overview.col.today') }, today === undefined || today === null ? '—' : number(today)),
      h('td', { 'data-label': t('overview.col.actions') }, h('div', { class: 'actions' }, actions)));
  }

  /** A select of the other live nodes and a Move button: for admins, in cluster mode only. */
  function moveControl(view) {
    if (me.role !== 'admin' || !nodes) return null;
    const org = view.org;
    const others = nodes.filter((n) => n !== view.node);
    if (others.length === 0) return null;
    if (!others.includes(moveTo.get(org))) moveTo.set(org, others[0]);
    const select = h('select', {
      class: 'move-select', 'aria-label': t('overview.move.label', { org }),
      dataset: { testid: 'move-node', org },
      onchange: (e) => moveTo.set(org, e.currentTarget.value),
    }, others.map((n) => h('option', { value: n, selected: n === moveTo.get(org) }, n)));
    return h('div', { class: 'move' }, select, h('button', {
      type: 'button', class: 'btn btn-secondary btn-small', dataset: { testid: 'move', org },
      onclick: (e) => move(org, moveTo.get(org), e.currentTarget),
    }, t('overview.move.button')));
  }

  async function loadNodes() {
    nodesAsked = true;
    try {
      nodes = asArray(await get('/api/cluster/nodes'), 'nodes');
    } catch (e) {
      nodes = null;
      if (e.code !== 'not_clustered') failure(e, 'overview.move.nodesFailed');
    }
    if (alive) render();
  }

  async function move(org, node, button) {
    button.disabled = true;
    try {
      const answer = await post(`/api/sessions/${enc(org)}/move`, { node });
      if (answer && answer.moved) success(t('overview.move.done', { org, node }));
      else info(t('overview.move.pending', { org, node }));
      refresh();
    } catch (e) {
      if (e.code === 'unknown_node') notify('error', t('overview.move.unknownNode', { org, node }));
      else if (e.code === 'not_clustered') notify('error', t('overview.move.notClustered'));
      else failure(e, 'overview.move.failed');
      moveTo.delete(org);
      loadNodes(); // the list of nodes the page had is stale: read it again
    } finally {
      button.disabled = false;
    }
  }

  async function connect(org, button) {
    button.disabled = true;
    try {
      mergeAndEmit(await post(`/api/sessions/${enc(org)}/connect`, { method: 'qr' }));
      location.hash = '#/org/' + enc(org);
    } catch (e) {
      failure(e);
      button.disabled = false;
    }
  }

  async function loadExtras() {
    if (me.role === 'admin') {
      try {
        const orgs = asArray(await getOptional('/api/orgs'), 'orgs');
        orgs.forEach((o) => { if (o && o.id) names.set(o.id, o.name); });
      } catch (e) { /* names are a nicety */ }
    }
    const orgs = [...sessions.keys()].slice(0, 50);
    await Promise.all(orgs.map(async (org) => {
      try {
        const days = dailyStats(await getOptional(`/api/sessions/${enc(org)}/stats?days=1`));
        sentToday.set(org, days.length ? days[days.length - 1].sent : null);
      } catch (e) { sentToday.set(org, null); }
    }));
    if (alive) render();
  }

  let alive = true;
  // names and today's counts are read once, when the list of sessions is first known
  let extrasLoaded = sessions.size > 0;
  const unsubscribe = subscribe((event) => {
    render();
    if (event.type === 'list' && !extrasLoaded) {
      extrasLoaded = true;
      loadExtras();
    }
  });
  render();
  if (extrasLoaded) loadExtras();
  return () => { alive = false; unsubscribe(); };
}

/** The health word of a SessionView: a string, or an object with a status. */
export function healthOf(view) {
  if (!view || !view.health) return null;
  return typeof view.health === 'string' ? view.health : view.health.status || null;
}
