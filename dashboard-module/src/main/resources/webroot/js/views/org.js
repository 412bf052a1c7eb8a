// One organization: its state large and clear, connect (QR or pairing code), clear, take over,
// the journal with every cause explained, the health card, the 30-day chart and the archived
// sessions (./archives.js).
import { h, replaceChildren } from '../dom.js';
import { t } from '../../i18n.js';
import { get, getOptional, post, enc, asArray } from '../api.js';
import { sessions, subscribe, mergeAndEmit, refresh } from '../live.js';
import { causeText, stateLabel, stateHint, healthLabel, healthFor } from '../causes.js';
import { durationSince, dateTime, isoAttr, countdown, parseTime } from '../format.js';
import { confirmDialog } from '../dialog.js';
import { success, failure } from '../notices.js';
import { statsChart, dailyStats } from '../chart.js';
import { checkName, checkText } from '../health.js';
import { stateBadge, canConnect, healthOf } from './overview.js';
import { archivesCard } from './archives.js';

const ACTIVE = ['STARTING', 'QR_REQUIRED', 'PAIRING_CODE', 'CONNECTED', 'RECONNECTING'];

export function mountOrg(main, org, { me }) {
  const base = `/api/sessions/${enc(org)}`;
  let alive = true;
  let qrImage = null;
  let qrKey = null;
  let qrAsked = 0;
  let busy = false;
  let lastState = null;
  let lastSignature = null;
  let timers = [];

  const stateCard = h('section', { class: 'card state-card', 'aria-labelledby': 'state-heading', dataset: { testid: 'state-card' } });
  const linkCard = h('section', { class: 'card link-card', 'aria-labelledby': 'link-heading', hidden: true });
  const pairingForm = buildPairingForm();
  const healthCard = h('section', { class: 'card', 'aria-labelledby': 'health-heading', dataset: { testid: 'health-card' } },
    h('h2', { id: 'health-heading', text: t('health.title') }), h('p', { class: 'muted', text: t('common.loading') }));
  const chartCard = h('section', { class: 'card', 'aria-labelledby': 'chart-heading', hidden: true, dataset: { testid: 'chart-card' } },
    h('h2', { id: 'chart-heading', text: t('chart.title') }));
  const timelineCard = h('section', { class: 'card', 'aria-labelledby': 'timeline-heading', dataset: { testid: 'timeline' } },
    h('h2', { id: 'timeline-heading', text: t('timeline.title') }), h('p', { class: 'muted', text: t('common.loading') }));

  const archives = archivesCard(org);
  const title = h('h1', { dataset: { testid: 'org-title' } }, t('org.title', { org }));
  const number = h('p', { class: 'muted', dataset: { testid: 'org-number' }, hidden: true }, t('org.number', { org }));
  let titledAs = null;
  main.replaceChildren(
    h('div', { class: 'page-head' },
      h('p', {}, h('a', { href: '#/', class: 'back-link' }, t('org.back'))),
      title, number),
    h('div', { class: 'org-grid' },
      h('div', { class: 'org-main' }, stateCard, linkCard, pairingForm),
      h('div', { class: 'org-side' }, healthCard)),
    chartCard,
    archives.element,
    timelineCard);

  // ---- state, actions, QR ----

  function view() {
    return sessions.get(org);
  }

  /** People know the org by its name: the heading and the tab say it, the number beneath. */
  function renderTitle(name) {
    if (!name || name === titledAs) return;
    titledAs = name;
    title.textContent = name === org ? t('org.title', { org }) : t('org.titleNamed', { name });
    number.hidden = name === org;
    document.title = `${title.textContent} · Vigía`;
  }

  function render() {
    const v = view();
    if (v) renderTitle(v.name);
    if (!v) {
      replaceChildren(stateCard, h('h2', { id: 'state-heading', text: t('org.stateTitle') }), h('p', { class: 'muted', text: t('common.loading') }));
      return;
    }
    // polls bring the same view most of the time: rebuild only on a real change
    const signature = JSON.stringify([v, busy]);
    if (signature === lastSignature) return;
    lastSignature = signature;
    const state = v.state;
    const facts = [];
    facts.push(fact(t('org.since'), h('time', { datetime: isoAttr(v.since), dataset: { since: v.since || '', testid: 'since' } }, durationSince(v.since))));
    if (v.cause) facts.push(fact(t('org.cause'), h('span', { dataset: { testid: 'cause' } }, causeText(v.cause))));
    if (v.me && (v.me.name || v.me.jid)) facts.push(fact(t('org.account'), [v.me.name || '', v.me.jid ? ` (${phoneOf(v.me.jid)})` : '']));
    if (state === 'RECONNECTING' && v.reconnect) {
      facts.push(fact(t('org.reconnect'), [t('org.attempt', { n: v.reconnect.attempt }), ' · ',
        h('span', { dataset: { until: v.reconnect.nextAt || '', untilKey: 'org.nextIn', expiredKey: 'org.nextNow' } },
          countdown(v.reconnect.nextAt) ? t('org.nextIn', { time: countdown(v.reconnect.nextAt) }) : t('org.nextNow'))]));
    }
    if (v.lastConnectedAt) facts.push(fact(t('org.lastConnected'), dateTime(v.lastConnectedAt)));
    if (v.lastActivityAt) facts.push(fact(t('org.lastActivity'), dateTime(v.lastActivityAt)));

    replaceChildren(stateCard,
      h('h2', { id: 'state-heading', class: 'sr-only', text: t('org.stateTitle') }),
      h('div', { class: 'state-big' }, stateBadge(state, true)),
      h('p', { class: 'state-hint', dataset: { testid: 'state-hint' } }, stateHint(state)),
      h('dl', { class: 'facts' }, facts),
      h('div', { class: 'actions', dataset: { testid: 'actions' } }, actions(state)));

    renderLink(v);
    pairingForm.hidden = !canConnect(state);
    if (lastState !== null && lastState !== state) {
      loadTimeline();
      loadHealth();
    }
    lastState = state;
  }

  function fact(label, value) {
    return [h('dt', { text: label }), h('dd', {}, value)];
  }

  function actions(state) {
    const list = [];
    if (canConnect(state)) {
      list.push(h('button', { type: 'button', class: 'btn btn-primary', dataset: { testid: 'connect' }, onclick: connect }, t('org.connect')));
    }
    if (state === 'CONFLICT') {
      list.push(h('button', { type: 'button', class: 'btn btn-primary', dataset: { testid: 'takeover' }, onclick: takeover }, t('org.takeover')));
    }
    if (ACTIVE.includes(state)) {
      list.push(h('button', { type: 'button', class: 'btn btn-secondary', dataset: { testid: 'disconnect' }, onclick: disconnect }, t('org.disconnect')));
    }
    // the old page's rule: the clear button shows whenever the session is not connected
    if (state !== 'CONNECTED') {
      list.push(h('button', { type: 'button', class: 'btn btn-amber', dataset: { testid: 'clear' }, onclick: clearSession }, t('org.clear')));
    }
    list.forEach((b) => { b.disabled = busy; });
    return list;
  }

  function renderLink(v) {
    if (v.state === 'QR_REQUIRED') {
      linkCard.hidden = false;
      const qr = v.qr;
      const expiresAt = qr && qr.expiresAt;
      const fresh = qr && (!expiresAt || parseTime(expiresAt) > Date.now());
      if (!fresh) askForQr();
      const key = expiresAt || (qr && 'now') || null;
      if (key && key !== qrKey) {
        qrKey = key;
        qrImage = h('img', {
          class: 'qr', width: 264, height: 264, alt: t('qr.alt'), dataset: { testid: 'qr' },
          src: `${base}/qr.svg?ts=${enc(expiresAt || Date.now())}`,
        });
        qrImage.addEventListener('error', () => { qrKey = null; askForQr(); });
      }
      replaceChildren(linkCard,
        h('h2', { id: 'link-heading', text: t('qr.title') }),
        h('div', { class: 'qr-box' },
          key ? qrImage : h('p', { class: 'qr-wait', dataset: { testid: 'qr-wait' }, text: t('qr.waiting') }),
          h('div', { class: 'qr-side' },
            expiresAt ? h('p', { class: 'countdown', 'aria-live': 'off', dataset: { testid: 'qr-countdown', until: expiresAt, untilKey: 'qr.expiresIn', expiredKey: 'qr.rotating' } },
              countdown(expiresAt) ? t('qr.expiresIn', { time: countdown(expiresAt) }) : t('qr.rotating')) : null,
            h('ol', { class: 'steps' }, ['qr.step1', 'qr.step2', 'qr.step3', 'qr.step4'].map((k) => h('li', { text: t(k) }))),
            h('p', { class: 'muted small', text: t('qr.note') }))));
      return;
    }
    qrKey = null;
    qrImage = null;
    if (v.state === 'PAIRING_CODE') {
      linkCard.hidden = false;
      const code = v.pairingCode && v.pairingCode.code;
      const expiresAt = v.pairingCode && v.pairingCode.expiresAt;
      replaceChildren(linkCard,
        h('h2', { id: 'link-heading', text: t('pairing.title') }),
        code
          ? h('p', { class: 'pairing-code', dataset: { testid: 'pairing-code' }, 'aria-label': t('pairing.codeLabel', { code: spell(code) }) }, formatCode(code))
          : h('p', { class: 'qr-wait', text: t('pairing.waiting') }),
        expiresAt ? h('p', { class: 'countdown', dataset: { until: expiresAt, untilKey: 'qr.expiresIn', expiredKey: 'pairing.expired' } },
          countdown(expiresAt) ? t('qr.expiresIn', { time: countdown(expiresAt) }) : t('pairing.expired')) : null,
        h('ol', { class: 'steps' }, ['pairing.step1', 'pairing.step2', 'pairing.step3'].map((k) => h('li', { text: t(k) }))));
      return;
    }
    linkCard.hidden = true;
    linkCard.replaceChildren();
  }

  /** The view may come without the QR (a poll, a stream that strips it): ask for its expiry. */
  async function askForQr() {
    if (Date.now() - qrAsked < 2000) return;
    qrAsked = Date.now();
    try {
      const qr = await get(`${base}/qr`);
      const v = view();
      if (!alive || !v || v.state !== 'QR_REQUIRED' || !qr) return;
      // only the expiry is kept: the picture comes from qr.svg, the payload stays out of the page
      sessions.set(org, { ...v, qr: { expiresAt: qr.expiresAt } });
      render();
    } catch (e) {
      /* 404: no QR yet; the next change or poll brings it */
    }
  }

  function buildPairingForm() {
    const phone = h('input', {
      id: 'pairing-phone', name: 'phone', type: 'tel', inputmode: 'numeric', autocomplete: 'tel',
      required: true, pattern: '\\+?[0-9 ]{8,20}', 'aria-describedby': 'pairing-phone-hint', dataset: { testid: 'pairing-phone' },
    });
    const form = h('form', { class: 'pairing-form', dataset: { testid: 'pairing-form' } },
      h('div', { class: 'field' },
        h('label', { for: 'pairing-phone', text: t('pairing.phone') }),
        phone,
        h('p', { id: 'pairing-phone-hint', class: 'muted small', text: t('pairing.phoneHint') })),
      h('button', { type: 'submit', class: 'btn btn-secondary', dataset: { testid: 'pairing-submit' } }, t('pairing.submit')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const digits = phone.value.replace(/[^0-9]/g, '');
      if (digits.length < 8) {
        phone.setAttribute('aria-invalid', 'true');
        failure({ message: t('pairing.badPhone') });
        phone.focus();
        return;
      }
      phone.removeAttribute('aria-invalid');
      await act(() => post(`${base}/connect`, { method: 'pairing_code', phone: digits }));
    });
    return h('details', { class: 'card pairing-card', hidden: true },
      h('summary', { text: t('pairing.option') }),
      h('p', { class: 'muted', text: t('pairing.intro') }),
      form);
  }

  async function act(call, successText, failureKey) {
    busy = true;
    render();
    try {
      const answer = await call();
      if (answer && answer.org) mergeAndEmit(answer);
      if (successText) success(successText(answer));
    } catch (e) {
      failure(e, failureKey);
    } finally {
      busy = false;
      if (alive) {
        await reload();
      }
    }
  }

  function connect() {
    return act(() => post(`${base}/connect`, { method: 'qr' }));
  }

  async function takeover() {
    const ok = await confirmDialog({
      title: t('takeover.title'), body: t('takeover.body'), confirm: t('takeover.confirm'), tone: 'primary',
    });
    if (ok) await act(() => post(`${base}/connect`, { method: 'qr', takeover: true }));
  }

  async function disconnect() {
    const ok = await confirmDialog({
      title: t('disconnect.title'), body: t('disconnect.body'), confirm: t('disconnect.confirm'), tone: 'primary',
    });
    if (ok) await act(() => post(`${base}/disconnect`, {}));
  }

  async function clearSession() {
    const ok = await confirmDialog({
      title: t('clear.title'), body: t('clear.body'), confirm: t('clear.confirm'), tone: 'amber',
    });
    if (!ok) return;
    // the server answers the old page's Spanish sentence; the notice speaks the page's language
    await act(() => post(`${base}/clear`, {}), () => t('clear.done'), 'clear.failed');
  }

  // ---- reading ----

  async function reload() {
    try {
      mergeAndEmit(await get(base));
    } catch (e) {
      if (e.status === 403 || e.status === 404 || e.status === 400) {
        notFound(e.status);
        return;
      }
    }
    loadTimeline();
    loadHealth();
  }

  /** 403: the org exists for others, not for this person; nothing of it is shown or asked for. */
  function notFound(status) {
    alive = false;
    const forbidden = status === 403;
    main.replaceChildren(h('div', { class: 'card empty', dataset: { testid: forbidden ? 'org-forbidden' : 'org-missing' } },
      h('h1', { text: t(forbidden ? 'org.noAccessTitle' : 'org.missingTitle') }),
      h('p', { text: t(forbidden ? 'org.noAccess' : 'org.missing', { org }) }),
      h('a', { class: 'btn btn-secondary', href: '#/' }, t('org.back'))));
  }

  let timelineLoading = false;
  async function loadTimeline() {
    if (timelineLoading) return;
    timelineLoading = true;
    try {
      const entries = asArray(await get(`${base}/events?limit=50`), 'entries', 'events');
      if (!alive) return;
      replaceChildren(timelineCard,
        h('h2', { id: 'timeline-heading', text: t('timeline.title') }),
        entries.length === 0
          ? h('p', { class: 'muted', text: t('timeline.empty') })
          : h('ol', { class: 'timeline' }, entries.map(entry)));
    } catch (e) {
      if (alive) replaceChildren(timelineCard, h('h2', { id: 'timeline-heading', text: t('timeline.title') }), h('p', { class: 'muted', text: t('timeline.unavailable') }));
    } finally {
      timelineLoading = false;
    }
  }

  function entry(e) {
    const moved = e.from || e.to;
    const title = moved
      ? [e.from ? stateLabel(e.from) : '—', ' → ', e.to ? stateLabel(e.to) : '—']
      : [t('kind.' + (['state', 'decision', 'alert', 'repair'].includes(e.kind) ? e.kind : 'other'))];
    return h('li', { class: `timeline-item kind-${['state', 'decision', 'alert', 'repair'].includes(e.kind) ? e.kind : 'other'}`, dataset: { testid: 'timeline-entry' } },
      h('div', { class: 'timeline-head' },
        h('time', { datetime: isoAttr(e.at) }, dateTime(e.at)),
        h('strong', {}, title)),
      e.cause ? h('p', { class: 'timeline-cause' }, causeText(e.cause)) : null,
      // the server's own words are English: marked so, a screen reader pronounces them right
      e.message && !(e.cause && e.cause.message === e.message) ? h('p', { class: 'muted', lang: 'en', text: e.message }) : null,
      e.actor ? h('p', { class: 'muted small', text: t('timeline.actor', { actor: e.actor }) }) : null);
  }

  async function loadHealth() {
    let data = null;
    try { data = await getOptional(`${base}/health`); } catch (e) { data = null; }
    if (!alive) return;
    const v = view();
    const state = v ? v.state : null;
    const status = healthFor(data && data.status ? data.status : healthOf(v), state);
    const checks = data ? asArray(data.checks).map((c) => (c && c.name === 'connection'
      ? { ...c, status: healthFor(c.status, state) } : c)) : [];
    replaceChildren(healthCard,
      h('h2', { id: 'health-heading', text: t('health.title') }),
      h('p', { class: `health health-${status || 'unknown'}`, dataset: { testid: 'health', status: status || 'unknown' } }, healthLabel(status)),
      checks.length ? h('ul', { class: 'checks' }, checks.map(check)) : null);
  }

  function check(c) {
    if (typeof c === 'string') return h('li', { text: c });
    const name = c.name || c.id || c.check || '';
    const status = c.status || (c.ok === true ? 'ok' : c.ok === false ? 'down' : '');
    const detail = checkText(name, c.message || c.detail || '');
    // the server's own words are English: marked so when the page has no sentence of its own
    const detailAttrs = { class: 'muted small', dataset: { testid: 'check-detail' }, text: ` · ${detail.text}` };
    if (!detail.translated) detailAttrs.lang = 'en';
    return h('li', { class: `check check-${status}`, dataset: { testid: 'health-check', check: name, status } },
      h('span', { class: 'check-name', text: checkName(name) }),
      status ? h('span', { class: 'check-status', text: ` — ${healthLabel(status)}` }) : null,
      detail.text ? h('span', detailAttrs) : null);
  }

  async function loadChart() {
    let data = null;
    try { data = await getOptional(`${base}/stats?days=30`); } catch (e) { data = null; }
    if (!alive) return;
    const days = dailyStats(data);
    if (!data) {
      chartCard.hidden = true;
      return;
    }
    chartCard.hidden = false;
    // an empty month says so in words, not with a bare axis
    const empty = days.every((d) => d.sent === 0 && d.failed === 0);
    replaceChildren(chartCard, h('h2', { id: 'chart-heading', text: t('chart.title') }),
      empty ? h('p', { class: 'muted', dataset: { testid: 'chart-empty' }, text: t('chart.empty') }) : statsChart(days));
  }

  const unsubscribe = subscribe((event) => {
    if (event.type === 'list' || event.org === org) render();
  });
  render();
  // the chart only once the org is known to be this person's: no request for another's data
  reload().then(() => {
    if (alive) {
      loadChart();
      archives.load();
    }
  });
  timers.push(setInterval(() => { if (alive) loadHealth(); }, 30000));
  if (!sessions.has(org)) refresh();

  return () => {
    alive = false;
    unsubscribe();
    archives.unmount();
    timers.forEach(clearInterval);
    timers = [];
  };
}

function formatCode(code) {
  const clean = String(code).replace(/[^0-9A-Za-z]/g, '');
  return clean.length === 8 ? `${clean.slice(0, 4)}-${clean.slice(4)}` : String(code);
}

function spell(code) {
  return String(code).replace(/[^0-9A-Za-z]/g, '').split('').join(' ');
}

function phoneOf(jid) {
  const user = String(jid).split('@')[0].split(':')[0];
  return /^[0-9]+$/.test(user) ? '+' + user : user;
}
