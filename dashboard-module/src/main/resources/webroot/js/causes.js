// DESIGN §3 in words a clinic receptionist understands: a cause's reason (or WhatsApp code) → a sentence.
import { t, has } from '../i18n.js';

const BY_CODE = {
  515: 'restart_required',
  428: 'connection_closed',
  408: 'connection_lost',
  503: 'unavailable',
  500: 'bad_session',
  440: 'conflict',
  401: 'logged_out',
  402: 'banned',
  403: 'banned',
  406: 'banned',
  405: 'outdated',
  411: 'outdated',
};

/** The stable word for a cause: its reason when the page knows it, else the one its code implies. */
export function causeKind(cause) {
  if (!cause) return null;
  if (cause.reason && has('cause.' + cause.reason)) return cause.reason;
  if (cause.code !== undefined && cause.code !== null && BY_CODE[cause.code]) return BY_CODE[cause.code];
  return 'unknown';
}

/** One sentence explaining the cause, with WhatsApp's code when there is one. */
export function causeText(cause) {
  const kind = causeKind(cause);
  if (!kind) return '';
  let text = t('cause.' + kind);
  if (kind === 'unknown' && cause.message) text = t('cause.unknownWith', { message: cause.message });
  if (cause.code !== undefined && cause.code !== null) text += ' ' + t('cause.code', { code: cause.code });
  return text;
}

export function stateLabel(state) {
  return has('state.' + state) ? t('state.' + state) : state || '—';
}

export function stateHint(state) {
  return has('state.' + state + '.hint') ? t('state.' + state + '.hint') : '';
}

/** Colour family of a state's badge (the text always says the state too). */
export function stateTone(state) {
  switch (state) {
    case 'CONNECTED': return 'ok';
    case 'STARTING':
    case 'RECONNECTING': return 'busy';
    case 'QR_REQUIRED':
    case 'PAIRING_CODE': return 'action';
    case 'CONFLICT':
    case 'LOGGED_OUT': return 'warn';
    case 'BANNED':
    case 'FAILED': return 'bad';
    default: return 'idle';
  }
}

/** States only a person can move on: the phone must scan the QR or type the code. */
export const NEEDS_PERSON = ['QR_REQUIRED', 'PAIRING_CODE'];

/**
 * The health a person should read: while the session waits for a scan or a code, the monitor's
 * "down" is a step to take ("needs action"), not an outage.
 */
export function healthFor(status, state) {
  return NEEDS_PERSON.includes(state) && status !== 'ok' ? 'action' : status;
}

export function healthLabel(status) {
  if (!status) return '—';
  return has('health.' + status) ? t('health.' + status) : status;
}
