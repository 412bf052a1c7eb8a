// The 30-day chart of sent and failed messages, drawn as SVG elements (no inline script, no library).
import { s, h } from './dom.js';
import { t, locale } from '../i18n.js';
import { asArray } from './api.js';
import { number } from './format.js';

/** [{day, sent, failed}] from the stats answer: a bare array or {days|daily|stats: […]}. */
export function dailyStats(data) {
  return asArray(data, 'days', 'daily', 'stats')
    .filter((d) => d && typeof d === 'object')
    .map((d) => ({
      day: d.day || d.date || d.at || '',
      sent: Number(d.sent) || 0,
      failed: Number(d.failed) || 0,
    }));
}

function dayLabel(day) {
  const ms = Date.parse(day);
  if (!Number.isFinite(ms)) return String(day);
  return new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(ms));
}

/** An <svg role="img"> with bars per day, a summary for screen readers, and the numbers in a table. */
export function statsChart(days) {
  const width = 640;
  const height = 220;
  const pad = { top: 12, right: 8, bottom: 28, left: 40 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const max = Math.max(1, ...days.map((d) => Math.max(d.sent, d.failed)));
  const slot = plotW / Math.max(1, days.length);
  const bar = Math.max(1, (slot - 2) / 2);
  const y = (v) => pad.top + plotH - (v / max) * plotH;
  const totalSent = days.reduce((a, d) => a + d.sent, 0);
  const totalFailed = days.reduce((a, d) => a + d.failed, 0);
  const summary = t('chart.summary', { days: days.length, sent: number(totalSent), failed: number(totalFailed) });

  const svg = s('svg', {
    class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': summary,
    dataset: { testid: 'stats-chart' },
  },
  s('title', {}, summary),
  s('line', { class: 'chart-axis', x1: pad.left, x2: width - pad.right, y1: pad.top + plotH, y2: pad.top + plotH }),
  s('line', { class: 'chart-grid', x1: pad.left, x2: width - pad.right, y1: pad.top, y2: pad.top }),
  s('text', { class: 'chart-label', x: pad.left - 6, y: pad.top + 4, 'text-anchor': 'end' }, number(max)),
  s('text', { class: 'chart-label', x: pad.left - 6, y: pad.top + plotH, 'text-anchor': 'end' }, '0'));

  days.forEach((d, i) => {
    const x = pad.left + i * slot + 1;
    svg.append(
      s('rect', { class: 'bar-sent', x, y: y(d.sent), width: bar, height: pad.top + plotH - y(d.sent) },
        s('title', {}, `${dayLabel(d.day)}: ${t('chart.sent')} ${number(d.sent)}`)),
      s('rect', { class: 'bar-failed', x: x + bar, y: y(d.failed), width: bar, height: pad.top + plotH - y(d.failed) },
        s('title', {}, `${dayLabel(d.day)}: ${t('chart.failed')} ${number(d.failed)}`)));
    const step = Math.max(1, Math.ceil(days.length / 6));
    if (i % step === 0 || i === days.length - 1) {
      svg.append(s('text', { class: 'chart-label', x: x + bar, y: height - 8, 'text-anchor': 'middle' }, dayLabel(d.day)));
    }
  });

  const legend = h('p', { class: 'legend' },
    h('span', { class: 'legend-item legend-sent' }, t('chart.sentTotal', { n: number(totalSent) })),
    h('span', { class: 'legend-item legend-failed' }, t('chart.failedTotal', { n: number(totalFailed) })));

  const table = h('details', { class: 'chart-data' },
    h('summary', { text: t('chart.showData') }),
    h('table', { class: 'table table-compact' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', text: t('chart.day') }),
        h('th', { scope: 'col', text: t('chart.sent') }),
        h('th', { scope: 'col', text: t('chart.failed') }))),
      h('tbody', {}, days.map((d) => h('tr', {},
        h('td', { text: dayLabel(d.day) }), h('td', { text: number(d.sent) }), h('td', { text: number(d.failed) }))))));

  return h('div', { class: 'chart-box' }, svg, legend, table);
}
