// The sessions the user may see, kept fresh: Server-Sent Events from /api/stream when the server has
// them (EventSource reconnects by itself after a restart), polling every 3 s while it does not.
import { get, asArray } from './api.js';
import { announce } from './dom.js';
import { t } from '../i18n.js';
import { stateLabel } from './causes.js';

const POLL_MS = 3000;
const STREAM_RETRY_MS = 15000;

export const sessions = new Map();
const lastSeq = new Map();
const listeners = new Set();
let source = null;
let pollTimer = null;
let retryTimer = null;
let running = false;
let refreshing = null;

/** fn({type: 'list'|'change', org?, change?}) after every update; returns the unsubscribe. */
export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function emit(event) {
  listeners.forEach((fn) => {
    try { fn(event); } catch (e) { console.error(e); }
  });
}

export function startLive() {
  if (running) return refresh();
  running = true;
  openStream();
  return refresh();
}

export function stopLive() {
  running = false;
  if (source) source.close();
  source = null;
  clearTimeout(retryTimer);
  stopPolling();
  sessions.clear();
  lastSeq.clear();
  setIndicator('off');
}

/** Reads every visible session again (after a change of ours, a gap in seq, or each poll). */
export function refresh() {
  if (refreshing) return refreshing;
  refreshing = get('/api/sessions')
    .then((data) => {
      const list = asArray(data, 'sessions');
      const seen = new Set();
      for (const view of list) {
        if (!view || !view.org) continue;
        seen.add(view.org);
        merge(view);
      }
      for (const org of [...sessions.keys()]) {
        if (!seen.has(org)) sessions.delete(org);
      }
      emit({ type: 'list' });
    })
    .catch(() => { /* 401 is handled by api.js; a poll that fails is tried again */ })
    .finally(() => { refreshing = null; });
  return refreshing;
}

/** Puts one fresh SessionView (GET or a 202 answer) in the store. */
export function merge(view) {
  const prev = sessions.get(view.org);
  const next = { ...view };
  // a pairing code comes with the stream; keep it while the state still waits for it
  if (!next.pairingCode && prev && prev.pairingCode && view.state === 'PAIRING_CODE') next.pairingCode = prev.pairingCode;
  // lists never carry the QR: keep the one shown, or the picture would blink away at every poll
  if (!next.qr && prev && prev.qr && prev.state === 'QR_REQUIRED' && view.state === 'QR_REQUIRED') next.qr = prev.qr;
  // the org's name comes with reads, not with every answer: keep the one known
  if (!next.name && prev && prev.name) next.name = prev.name;
  sessions.set(view.org, next);
  if (prev && prev.state !== next.state) announce(`${view.org}: ${stateLabel(next.state)}`);
  return next;
}

export function mergeAndEmit(view) {
  if (!view || !view.org) return;
  merge(view);
  emit({ type: 'change', org: view.org });
}

function openStream() {
  if (!running) return;
  if (typeof EventSource === 'undefined') {
    startPolling();
    return;
  }
  startPolling(); // until the stream says it is open
  source = new EventSource('/api/stream', { withCredentials: true });
  source.addEventListener('open', () => {
    stopPolling();
    setIndicator('on');
    refresh(); // what changed while the stream was away
  });
  source.addEventListener('message', onEvent);
  source.addEventListener('state', onEvent);
  source.addEventListener('error', () => {
    setIndicator('polling');
    startPolling();
    if (source && source.readyState === EventSource.CLOSED) {
      // a 404 or 401 ends an EventSource for good: try again later, poll meanwhile
      source = null;
      clearTimeout(retryTimer);
      retryTimer = setTimeout(openStream, STREAM_RETRY_MS);
      // a restarted server forgot the session: one read now finds out (401 → the login)
      refresh();
    }
  });
}

function onEvent(event) {
  let change;
  try { change = JSON.parse(event.data); } catch (e) { return; }
  if (!change || !change.org || !change.to) return;
  applyChange(change);
}

/** A StateChange {org, from, to, cause?, qr?, pairingCode?, me?, reconnect?, at, seq} applied to the store. */
export function applyChange(change) {
  const prev = sessions.get(change.org) || { org: change.org };
  const moved = prev.state !== change.to;
  const next = { ...prev, state: change.to };
  if (moved || !prev.since) next.since = change.at || new Date().toISOString();
  if (change.cause) next.cause = change.cause;
  else if (moved) delete next.cause;
  if (change.to === 'QR_REQUIRED') next.qr = change.qr || prev.qr;
  else delete next.qr;
  if (change.to === 'PAIRING_CODE') next.pairingCode = change.pairingCode || prev.pairingCode;
  else delete next.pairingCode;
  // every change carries the account as it is now: none after a clear or a 401
  if (change.me) next.me = change.me;
  // cluster mode: the node whose gateway made the change now runs the session
  if (change.node) next.node = change.node;
  else delete next.me;
  if (change.to === 'RECONNECTING') next.reconnect = change.reconnect || prev.reconnect;
  else delete next.reconnect;
  if (change.to === 'CONNECTED' && moved) next.lastConnectedAt = change.at;
  sessions.set(change.org, next);

  const previousSeq = lastSeq.get(change.org);
  if (typeof change.seq === 'number') {
    lastSeq.set(change.org, change.seq);
    // a gap means the stream lost something: read the truth again
    if (previousSeq !== undefined && change.seq > previousSeq + 1) refresh();
  }
  if (moved) announce(`${change.org}: ${stateLabel(change.to)}`);
  emit({ type: 'change', org: change.org, change });
}

function startPolling() {
  if (pollTimer || !running) return;
  pollTimer = setInterval(refresh, POLL_MS);
  if (!source || source.readyState !== EventSource.OPEN) setIndicator('polling');
}

function stopPolling() {
  clearInterval(pollTimer);
  pollTimer = null;
}

function setIndicator(mode) {
  const el = document.getElementById('live');
  if (!el) return;
  el.dataset.live = mode;
  el.textContent = mode === 'off' ? '' : t(mode === 'on' ? 'live.on' : 'live.polling');
  el.title = mode === 'off' ? '' : t(mode === 'on' ? 'live.onHint' : 'live.pollingHint');
}

export function refreshIndicator() {
  const el = document.getElementById('live');
  if (el) setIndicator(el.dataset.live || 'off');
}
