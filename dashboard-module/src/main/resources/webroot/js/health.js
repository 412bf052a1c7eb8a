// The monitor's health checks (HealthBook: connection, keep_alive, decrypt, credentials) in the
// page's language: the server's English sentence is read for its numbers, and shown only when unknown.
import { t, has } from '../i18n.js';
import { stateLabel } from './causes.js';

/** Each known check: its server sentences → [key, params] of the page's own sentence. */
const SENTENCES = {
  connection: [
    [/^Session never started$/, () => ['health.check.connection.never']],
    [/^Session is ([A-Z_]+)$/, (m) => ['health.check.connection.state', { state: stateLabel(m[1]) }]],
  ],
  keep_alive: [
    [/^No keep-alive seen/, () => ['health.check.keep_alive.none']],
    [/^Last keep-alive (\d+) s ago \(over (\d+) s\)$/, (m) => ['health.check.keep_alive.stale', { seconds: m[1], limit: m[2] }]],
    [/^Last keep-alive (\d+) s ago$/, (m) => ['health.check.keep_alive.ago', { seconds: m[1] }]],
  ],
  decrypt: [
    [/^(\d+) decrypt failures in the last hour; /, (m) => ['health.check.decrypt.advice', { count: m[1] }]],
    [/^(\d+) decrypt failures in the last hour$/, (m) => ['health.check.decrypt.count', { count: m[1] }]],
  ],
  credentials: [
    [/^Linked credentials are stored$/, () => ['health.check.credentials.stored']],
    [/^No linked credentials stored$/, () => ['health.check.credentials.none']],
  ],
};

/** The check's name for people ("Conexión"), or the server's name when the page does not know it. */
export function checkName(name) {
  return has('health.check.' + name) ? t('health.check.' + name) : name;
}

/**
 * {text, translated}: the check's sentence in the page's language, or the server's own (English)
 * sentence with translated false when the page does not know it.
 */
export function checkText(name, message) {
  const text = String(message || '');
  for (const [pattern, toKey] of SENTENCES[name] || []) {
    const m = text.match(pattern);
    if (m) {
      const [key, params] = toKey(m);
      if (has(key)) return { text: t(key, params), translated: true };
    }
  }
  return { text, translated: false };
}
