// Visible notices in the polite live region: success and error messages a person can act on.
import { h } from './dom.js';
import { t } from '../i18n.js';

const LIFETIME_MS = 8000;
// stable hooks for the browser test
const TESTIDS = { success: 'notice-success', info: 'notice-info', error: 'notice-error' };

export function notify(kind, text) {
  const region = document.getElementById('notices');
  if (!region) return;
  const notice = h('div', {
    class: `notice notice-${kind}`,
    role: kind === 'error' ? 'alert' : null,
    dataset: { testid: TESTIDS[kind], kind },
  },
  h('span', { class: 'notice-text', text }),
  h('button', {
    type: 'button',
    class: 'notice-close',
    'aria-label': t('common.dismiss'),
    onclick: () => notice.remove(),
  }, '×'));
  region.append(notice);
  if (kind !== 'error') setTimeout(() => notice.remove(), LIFETIME_MS);
}

export const success = (text) => notify('success', text);
export const info = (text) => notify('info', text);

/** Shows an API failure: the server's own sentence when it gave one, else a generic one. */
export function failure(err, fallbackKey = 'error.generic') {
  let text;
  if (err && err.status === 0) text = t('error.network');
  else if (err && err.status === 403) text = err.message && err.message !== '403' ? err.message : t('error.forbidden');
  else if (err && err.status === 429) text = t('error.throttled');
  else if (err && err.message && !/^\d+$/.test(err.message)) text = err.message;
  else text = t(fallbackKey);
  notify('error', text);
}

export function clearNotices() {
  const region = document.getElementById('notices');
  if (region) region.replaceChildren();
}
