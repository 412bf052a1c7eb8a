// Vigía's Baileys bridge: one process, many orgs, JSON lines on stdin/stdout (stderr: logs, no secrets).
import { createInterface } from 'node:readline';
import * as baileys from '@whiskeysockets/baileys';

const { BufferJSON, initAuthCreds, proto } = baileys;
const makeWASocket = typeof baileys.makeWASocket === 'function' ? baileys.makeWASocket : baileys.default;
const REQUEST_TIMEOUT_MS = 30_000;

/** A positive integer from the environment, or null when unset (Baileys' own default then holds). */
function envMillis(name) {
  const value = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isInteger(value) && value > 0 ? value : null;
}

/**
 * Options that replace Baileys' defaults only when their variable is set: an option present with
 * the value undefined would replace the default too (Baileys spreads its defaults first), and
 * without a URL Baileys cannot dial at all. The timeouts are for tests against a local server.
 */
function connectionOverrides() {
  const overrides = {};
  const url = process.env.VIGIA_BAILEYS_WS_URL;
  if (url) overrides.waWebSocketUrl = url;
  const queryTimeout = envMillis('VIGIA_BAILEYS_QUERY_TIMEOUT_MS');
  if (queryTimeout) overrides.defaultQueryTimeoutMs = queryTimeout;
  const keepAlive = envMillis('VIGIA_BAILEYS_KEEPALIVE_MS');
  if (keepAlive) overrides.keepAliveIntervalMs = keepAlive;
  const qrTimeout = envMillis('VIGIA_BAILEYS_QR_TIMEOUT_MS');
  if (qrTimeout) overrides.qrTimeout = qrTimeout;
  return overrides;
}
const OVERRIDES = connectionOverrides();

/** sid -> { org, sock, closed, pairingPhone, pairingRequested, writes } */
const sessions = new Map();
const pending = new Map();
let nextRequest = 1;

const out = (message) => process.stdout.write(JSON.stringify(message) + '\n');
const log = (level, text) => process.stderr.write(`${level} ${text}\n`);

// libsignal prints with console.*: on stdout, which is this bridge's protocol channel, and with
// whole Signal sessions (key material) as arguments. Only its text goes to the log, on stderr.
for (const level of ['log', 'info', 'debug', 'trace', 'warn', 'error']) {
  console[level] = (first) => log(level === 'log' ? 'info' : level, `signal: ${typeof first === 'string' ? first : ''}`);
}

/** Asks the JVM (the store) for something; answered by a {op:'reply', req, ok, value|error} line. */
function ask(op, fields) {
  return new Promise((resolve, reject) => {
    const req = nextRequest++;
    const timer = setTimeout(() => {
      pending.delete(req);
      reject(new Error(`${op} timed out`));
    }, REQUEST_TIMEOUT_MS);
    pending.set(req, { resolve, reject, timer });
    out({ op, req, ...fields });
  });
}

const encode = (value) => JSON.stringify(value, BufferJSON.replacer);
const decode = (text) => (text == null ? null : JSON.parse(text, BufferJSON.reviver));

/** A pino-shaped logger: keeps only the message text (objects may hold keys), spots decrypt failures. */
function makeLogger(sid, org) {
  const write = (level) => (obj, msg) => {
    const text = typeof obj === 'string' ? obj : msg;
    if (level === 'error' && text === 'failed to decrypt message' && obj && typeof obj === 'object') {
      decryptFailure(sid, obj);
    }
    const err = obj && typeof obj === 'object' && obj.err instanceof Error ? ` (${obj.err.message})` : '';
    log(level, `[${org}] ${text ?? ''}${err}`);
  };
  const logger = {
    level: 'info',
    child: () => logger,
    trace: () => {},
    debug: () => {},
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    fatal: write('fatal'),
  };
  return logger;
}

const isPhoneJid = (jid) => typeof jid === 'string' && jid.endsWith('@s.whatsapp.net');

/**
 * Who a message is from, as a phone number jid when Baileys knows it: WhatsApp now addresses most
 * senders by LID (123…@lid) and gives the number beside it (the key's *Alt fields); a person
 * recognises the number, and one contact keeps one name however WhatsApp addressed it.
 */
function contactOf(key, fallback) {
  const group = typeof key?.remoteJid === 'string' && key.remoteJid.endsWith('@g.us');
  const candidates = group ? [key?.participantAlt, key?.participant] : [key?.remoteJidAlt, key?.remoteJid];
  return candidates.find(isPhoneJid) ?? fallback ?? candidates.find(Boolean) ?? null;
}

function decryptFailure(sid, context) {
  const s = sessions.get(sid);
  if (!s || s.closed) return;
  const fallback = isPhoneJid(context.author) ? context.author : undefined;
  const contact = contactOf(context.key, fallback) ?? context.author ?? context.sender ?? null;
  const detail = context.err?.message || 'decrypt failure';
  out({ op: 'activity', sid, kind: 'decrypt_failure', contact, detail });
}

/** A message from someone else arrived and decrypted: the session is alive and carrying traffic. */
function onMessages(s, { messages, type }) {
  if (s.closed || type !== 'notify') return;
  for (const m of messages ?? []) {
    const content = m.message;
    if (m.key?.fromMe || !content || m.messageStubType || content.protocolMessage) continue;
    out({ op: 'activity', sid: s.sid, kind: 'message_received', contact: contactOf(m.key), detail: m.key?.id ?? null });
  }
}

function authState(sid, org, creds) {
  return {
    creds,
    keys: {
      get: async (type, ids) => {
        const texts = await ask('keys.get', { sid, org, type, ids });
        const data = {};
        for (const id of ids) {
          let value = decode(texts?.[id] ?? null);
          if (type === 'app-state-sync-key' && value) {
            value = proto.Message.AppStateSyncKeyData.fromObject(value);
          }
          data[id] = value ?? undefined;
        }
        return data;
      },
      set: async (data) => {
        const batch = {};
        for (const type in data) {
          batch[type] = {};
          for (const id in data[type]) {
            const value = data[type][id];
            batch[type][id] = value ? encode(value) : null;
          }
        }
        await ask('keys.set', { sid, org, data: batch });
      },
    },
  };
}

/** The reason a session closes when its creds could not be stored (Cause.CREDS_WRITE_FAILED). */
const CREDS_WRITE_FAILED = 'creds_write_failed';

function saveCreds(s) {
  // one write at a time per session, in order, each the whole creds object
  s.writes = s.writes.then(() => ask('creds.write', { sid: s.sid, org: s.org, creds: encode(s.creds) }))
    .catch((e) => credsNotSaved(s, e));
  return s.writes;
}

/**
 * A session whose creds cannot be stored must not go on: its keys would drift from the stored
 * ones. It closes with its own reason, so the JVM closes the run and the monitor retries.
 */
function credsNotSaved(s, e) {
  log('warn', `[${s.org}] creds not saved: ${e.message}`);
  if (s.closed || s.failure) return;
  s.failure = { reason: CREDS_WRITE_FAILED, message: `Credentials could not be saved: ${e.message}` };
  if (s.sock) {
    s.sock.end(new Error(s.failure.message));
  }
}

async function start({ sid, org, pairingPhone }) {
  if (typeof sid !== 'number' || typeof org !== 'string') throw new Error('start needs sid and org');
  if (sessions.has(sid)) throw new Error('session already started');
  const s = { sid, org, sock: null, closed: false, failure: null, pairingPhone: pairingPhone || null, pairingRequested: false, writes: Promise.resolve() };
  sessions.set(sid, s);
  const stored = decode(await ask('creds.read', { sid, org }));
  if (s.closed) return;
  s.creds = stored ?? initAuthCreds();
  if (!stored) {
    await saveCreds(s);
    if (s.closed) return;
    if (s.failure) {
      // started, then closed at once: the JVM hears the cause, not a start that never answered
      out({ op: 'started', sid });
      closeWith(s, { code: null, message: s.failure.message, errno: null, reason: s.failure.reason });
      return;
    }
  }
  const sock = makeWASocket({
    auth: authState(sid, org, s.creds),
    logger: makeLogger(sid, org),
    printQRInTerminal: false,
    // stays "offline" so the phone keeps its notifications; history sync left at Baileys' default
    markOnlineOnConnect: false,
    ...OVERRIDES,
  });
  s.sock = sock;
  sock.ev.on('creds.update', () => {
    if (!s.closed) saveCreds(s);
  });
  sock.ev.on('connection.update', (update) => onConnection(s, update));
  sock.ev.on('messages.upsert', (upsert) => onMessages(s, upsert));
  out({ op: 'started', sid });
}

async function onConnection(s, update) {
  if (s.closed) return;
  const { connection, lastDisconnect, qr } = update;
  if (qr) {
    if (s.pairingPhone) {
      if (!s.pairingRequested) {
        s.pairingRequested = true;
        try {
          const code = await s.sock.requestPairingCode(s.pairingPhone);
          if (!s.closed) out({ op: 'pairing_code', sid: s.sid, code });
        } catch (e) {
          log('warn', `[${s.org}] pairing code request failed: ${e.message}`);
        }
      }
    } else {
      out({ op: 'qr', sid: s.sid, qr });
    }
  }
  if (connection === 'open') {
    const me = s.sock.user ?? s.creds.me ?? {};
    out({ op: 'open', sid: s.sid, me: { jid: me.id ?? null, name: me.name ?? null } });
  }
  if (connection === 'close') {
    const error = lastDisconnect?.error;
    const code = error?.output?.statusCode ?? null;
    const errno = error?.data?.code ?? error?.code ?? null;
    await s.writes;
    if (s.failure) {
      closeWith(s, { code: null, message: s.failure.message, errno: null, reason: s.failure.reason });
      return;
    }
    closeWith(s, { code, message: error?.message ?? 'Connection Closed', errno: typeof errno === 'string' ? errno : null, reason: null });
  }
}

function closeWith(s, { code, message, errno, reason }) {
  if (s.closed) return;
  finish(s);
  out({ op: 'close', sid: s.sid, code, message, errno, reason });
}

// Baileys' end() resolves once its WebSocket has closed; one that hangs is dropped after 2 s
async function closeSocket(sock) {
  if (!sock) return;
  let timer;
  const late = new Promise((resolve) => { timer = setTimeout(resolve, 2000, 'late'); });
  const how = await Promise.race([Promise.resolve(sock.end(undefined)).catch(() => {}), late]);
  clearTimeout(timer);
  if (how === 'late') {
    try { sock.ws?.socket?.terminate(); } catch { /* already gone */ }
  }
}

function finish(s) {
  s.closed = true;
  sessions.delete(s.sid);
}

function session(sid) {
  const s = sessions.get(sid);
  if (!s || !s.sock) throw new Error('no such session');
  return s;
}

function toJid(to) {
  return to.includes('@') ? to : `${to.replace(/[^0-9]/g, '')}@s.whatsapp.net`;
}

const ops = {
  start,
  async send({ sid, to, text, id }) {
    const s = session(sid);
    try {
      const sent = await s.sock.sendMessage(toJid(String(to)), { text: String(text) });
      out({ op: 'sent', sid, id, messageId: sent?.key?.id ?? null });
    } catch (e) {
      out({ op: 'send_failed', sid, id, error: e.message });
    }
  },
  async logout({ sid }) {
    const s = session(sid);
    try {
      await s.sock.logout();
    } finally {
      finish(s);
      out({ op: 'logged_out', sid });
    }
  },
  // answered once the WhatsApp socket is closed: the JVM's hand-over lets the lease go only then,
  // so another node's login of this device never meets this one at WhatsApp (a 440)
  async close({ sid }) {
    const s = sessions.get(sid);
    if (s) {
      finish(s);
      await closeSocket(s.sock);
    }
    out({ op: 'closed', sid });
  },
  // cluster mode: the JVM pings; see the watchdog below
  async watchdog({ silenceMs }) {
    const ms = Number(silenceMs);
    watchdog = Number.isFinite(ms) && ms > 0 ? { silenceMs: ms, lastHeard: Date.now() } : null;
  },
  async ping() {},
  async reply({ req, ok, value, error }) {
    const p = pending.get(req);
    if (!p) return;
    pending.delete(req);
    clearTimeout(p.timer);
    if (ok) p.resolve(value);
    else p.reject(new Error(error || 'request failed'));
  },
};

async function handle(line) {
  let message;
  try {
    message = JSON.parse(line);
  } catch {
    out({ op: 'error', error: 'malformed line' });
    return;
  }
  const op = message && typeof message === 'object' ? ops[message.op] : undefined;
  if (!op || !Object.hasOwn(ops, message.op)) {
    out({ op: 'error', sid: message?.sid ?? null, error: 'unknown op' });
    return;
  }
  try {
    await op(message);
  } catch (e) {
    // the id lets the JVM fail that one send at once instead of at its timeout
    const id = typeof message.id === 'string' ? message.id : null;
    out({ op: 'error', sid: message.sid ?? null, request: message.op, id, error: e.message });
    if (message.op === 'start' && typeof message.sid === 'number') {
      const s = sessions.get(message.sid);
      if (s) {
        finish(s);
        s.sock?.end(undefined);
      }
    }
  }
}

process.on('uncaughtException', (e) => log('error', `uncaught: ${e.message}`));
process.on('unhandledRejection', (e) => log('error', `unhandled: ${e?.message ?? e}`));

// A cluster node's JVM that says nothing for silenceMs is frozen (SIGSTOP, a long GC pause): its
// leases end soon and another node logs these devices in. Node runs on by itself and would keep
// their WhatsApp sockets open, and WhatsApp would see two logins of one device (440, the failure
// cluster mode exists to prevent): every socket is closed first. Off unless the JVM asks.
let watchdog = null;
setInterval(() => {
  if (!watchdog || Date.now() - watchdog.lastHeard <= watchdog.silenceMs) return;
  if (sessions.size > 0) {
    log('warn', `the JVM sent nothing for ${Date.now() - watchdog.lastHeard} ms: closing ${sessions.size} WhatsApp connections before another node may take them`);
  }
  for (const s of sessions.values()) s.sock?.end(undefined);
  watchdog.lastHeard = Date.now(); // once a silence, not every tick
}, 200).unref();

const input = createInterface({ input: process.stdin });
input.on('line', (line) => {
  if (watchdog) watchdog.lastHeard = Date.now();
  if (line.trim()) handle(line);
});
input.on('close', () => process.exit(0));
out({ op: 'ready', node: process.version });
