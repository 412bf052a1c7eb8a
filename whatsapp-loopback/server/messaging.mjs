// Messages between a linked companion (Baileys) and the simulated phones. What Baileys sends is
// decrypted by the recipient's phone with a real Signal session, then acked by the server and
// receipted by the phone; what a contact sends is encrypted to each linked companion of the
// account with the pre-keys that companion uploaded. On request, the ciphertext's MAC is broken
// on purpose, so Baileys meets a real "Bad MAC".
import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { proto } from '@whiskeysockets/baileys';
import { bytesOf, child, children, now } from './nodes.mjs';
import { lidJid } from './world.mjs';
import { log } from './log.mjs';

const require = createRequire(import.meta.url);
const { PreKeyWhisperMessage } = require('libsignal/src/protobufs.js');

const textOf = (message) => message?.conversation ?? message?.extendedTextMessage?.text ?? null;

/** `<message>` from a companion: each `<to>` is one recipient device's ciphertext. */
export async function onMessageFromCompanion(conn, node) {
  const sender = conn.companion;
  if (!sender) return;
  const { id, to } = node.attrs;
  const targets = [];
  const participants = child(node, 'participants');
  if (participants) {
    for (const toNode of children(participants, 'to')) targets.push({ jid: toNode.attrs.jid, enc: child(toNode, 'enc') });
  } else if (child(node, 'enc')) {
    targets.push({ jid: to, enc: child(node, 'enc') });
  }
  const chat = conn.world.accountOf(to);
  const delivered = new Set();
  for (const { jid, enc } of targets) {
    const found = conn.world.deviceOf(jid);
    if (!found || !enc) {
      log(`${sender.jid} sent to an unknown device ${jid}`);
      continue;
    }
    if (found.companion) {
      continue; // another companion of an account: not simulated
    }
    try {
      const message = await found.account.phone.decrypt(sender.address, enc.attrs.type, bytesOf(enc));
      const copy = message.deviceSentMessage; // what our own other devices get: "I sent this"
      found.account.inbox.push({
        id, from: sender.account.user, fromDevice: sender.device, chat: chat?.user ?? to,
        text: textOf(copy?.message ?? message), sentCopy: !!copy, at: new Date().toISOString(),
      });
      if (found.account !== sender.account) delivered.add(found.account);
    } catch (e) {
      log(`the phone of ${found.account.user} could not decrypt ${id} from ${sender.jid}: ${e.message}`);
    }
  }
  conn.send({ tag: 'ack', attrs: { class: 'message', id, from: to, t: now() } });
  for (const account of delivered) {
    conn.send({ tag: 'receipt', attrs: { from: account.jid, id, t: now() } });
  }
}

/** `<receipt>` from a companion; a retry receipt means it could not decrypt what a phone sent. */
export async function onReceiptFromCompanion(conn, node) {
  const { type, id, to } = node.attrs;
  if (type === 'retry') {
    const contact = conn.world.accountOf(to);
    const count = Number(child(node, 'retry')?.attrs.count ?? 1);
    contact?.retries.push({ id, by: conn.companion?.jid, count });
    log(`${conn.name} asked ${to} to retry ${id} (count ${count})`);
  }
  conn.send({ tag: 'ack', attrs: { class: 'receipt', id, from: to, ...(type ? { type } : {}) } });
}

/** Breaks the 8-byte MAC at the end of a Signal WhisperMessage (inside a pkmsg, too). */
function breakMac(type, ciphertext) {
  if (type === 'msg') {
    const broken = Buffer.from(ciphertext);
    broken[broken.length - 1] ^= 0x5a;
    return broken;
  }
  const pkmsg = PreKeyWhisperMessage.decode(ciphertext.subarray(1));
  const inner = Buffer.from(pkmsg.message);
  inner[inner.length - 1] ^= 0x5a;
  pkmsg.message = inner;
  return Buffer.concat([ciphertext.subarray(0, 1), Buffer.from(PreKeyWhisperMessage.encode(pkmsg).finish())]);
}

/**
 * The phone of `contact` sends `text` to every online companion of `target`; with `corrupt`, the
 * MAC of each ciphertext is broken after a real encryption (the sender's chain moves on as usual).
 */
export async function sendFromContact(world, contact, target, text, { corrupt = false } = {}) {
  const companions = target.liveCompanions().filter((c) => c.connection && !c.connection.closed);
  if (companions.length === 0) {
    throw Object.assign(new Error(`no linked device of ${target.user} is online`), { status: 409 });
  }
  const id = `3EB0${randomBytes(8).toString('hex').toUpperCase()}`;
  for (const companion of companions) {
    if (!contact.phone.hasSession(companion.address)) {
      await contact.phone.startSession(companion.address, companion.takeBundle());
    }
    const { type, ciphertext } = await contact.phone.encrypt(companion.address, { conversation: text });
    companion.connection.send({
      tag: 'message',
      attrs: { from: lidJid(contact.lid), sender_pn: contact.jid, addressing_mode: 'lid', id, t: now(), type: 'text', notify: contact.name },
      content: [{ tag: 'enc', attrs: { v: '2', type }, content: corrupt ? breakMac(type, ciphertext) : ciphertext }],
    });
  }
  log(`${contact.user} sent ${id} to ${companions.length} device(s) of ${target.user}${corrupt ? ' with a broken MAC' : ''}`);
  return { id, devices: companions.map((c) => c.jid) };
}

/**
 * What a phone does right after linking a companion: it sends it the start of the chat history
 * (here: none), inline in a peer message. Baileys then syncs its app state and stops waiting for
 * history (else it would wait 20 s, then write creds on a timer).
 */
export async function pushInitialHistory(companion) {
  const account = companion.account;
  const conn = companion.connection;
  if (!conn || conn.closed) return;
  const payload = deflateSync(proto.HistorySync.encode({
    syncType: proto.HistorySync.HistorySyncType.INITIAL_BOOTSTRAP, conversations: [], progress: 100, chunkOrder: 0,
  }).finish());
  const message = {
    protocolMessage: {
      type: proto.Message.ProtocolMessage.Type.HISTORY_SYNC_NOTIFICATION,
      historySyncNotification: {
        syncType: proto.HistorySync.HistorySyncType.INITIAL_BOOTSTRAP, chunkOrder: 0, progress: 100,
        initialHistBootstrapInlinePayload: payload,
      },
    },
  };
  if (!account.phone.hasSession(companion.address)) {
    await account.phone.startSession(companion.address, companion.takeBundle());
  }
  const { type, ciphertext } = await account.phone.encrypt(companion.address, message);
  conn.send({
    tag: 'message',
    attrs: { from: account.jid, id: `3EB0${randomBytes(8).toString('hex').toUpperCase()}`, t: now(), type: 'text', category: 'peer' },
    content: [{ tag: 'enc', attrs: { v: '2', type }, content: ciphertext }],
  });
  log(`the phone of ${account.user} sent the initial history to ${companion.jid}`);
}
