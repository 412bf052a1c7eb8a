// The control API tests drive the loopback with (JSON over HTTP on 127.0.0.1, same port as the
// WebSocket): create phones, scan a QR code or type a pairing code, send from a contact, read what
// a phone received, break connections. It is what a person does with a phone, on command.
import { BufferJSON } from '@whiskeysockets/baileys';
import { scanQr, enterPairingCode } from './pairing.mjs';
import { sendFromContact } from './messaging.mjs';
import { applyFault } from './faults.mjs';
import { parseJid } from './world.mjs';

const routes = [
  ['GET', /^\/control\/state$/, (world) => state(world)],
  ['POST', /^\/control\/settings$/, (world, _, body) => {
    if (body.refs !== undefined) world.settings.refs = Math.max(1, Math.min(20, Number(body.refs) | 0));
    return world.settings;
  }],
  ['POST', /^\/control\/accounts$/, (world, _, body) => summary(world.createAccount(body.user, body.name))],
  ['POST', /^\/control\/accounts\/(\d+)\/scan$/, (world, [user], body) => scanQr(world, mustAccount(world, user), body.qr)],
  ['POST', /^\/control\/accounts\/(\d+)\/pairing-code$/, (world, [user], body) => enterPairingCode(world, mustAccount(world, user), String(body.code ?? ''))],
  ['POST', /^\/control\/accounts\/(\d+)\/send$/, async (world, [user], body) => {
    const contact = mustAccount(world, user);
    const target = mustAccount(world, body.to);
    const count = Math.max(1, Math.min(100, Number(body.count ?? 1) | 0));
    const sent = [];
    for (let i = 0; i < count; i++) {
      sent.push(await sendFromContact(world, contact, target, String(body.text ?? ''), { corrupt: !!body.corrupt }));
    }
    return { sent };
  }],
  ['GET', /^\/control\/accounts\/(\d+)\/inbox$/, (world, [user]) => ({ messages: mustAccount(world, user).inbox })],
  ['GET', /^\/control\/accounts\/(\d+)\/retries$/, (world, [user]) => ({ retries: mustAccount(world, user).retries })],
  ['POST', /^\/control\/accounts\/(\d+)\/fault$/, (world, [user], body) => ({ hit: applyFault(mustAccount(world, user), body.kind) })],
  ['POST', /^\/control\/accounts\/(\d+)\/clear-refusal$/, (world, [user]) => {
    mustAccount(world, user).refusal = null;
    return { ok: true };
  }],
  ['POST', /^\/control\/adopt$/, (world, _, body) => adopt(world, body.creds)],
];

function mustAccount(world, user) {
  const account = world.account(user ?? '');
  if (!account) throw Object.assign(new Error(`no account ${user}`), { status: 404 });
  return account;
}

function summary(account) {
  return {
    user: account.user, jid: account.jid, lid: account.lid, name: account.name, refusal: account.refusal,
    devices: [...account.companions.values()].map((c) => ({
      device: c.device, jid: c.jid, online: !!c.connection && !c.connection.closed, removed: c.removed, preKeys: c.preKeys.size, preKeysUploaded: c.preKeysUploaded,
    })),
  };
}

function state(world) {
  return {
    accounts: [...world.accounts.values()].map(summary),
    connections: world.connections.size,
    replacedLogins: world.replacedLogins,
    unanswered: world.unanswered,
  };
}

/**
 * A device linked before this server started (an imported Baileys folder): WhatsApp knows it, so
 * the loopback must too. `creds` is the folder's creds.json as Baileys wrote it (BufferJSON).
 */
function adopt(world, credsText) {
  const creds = JSON.parse(typeof credsText === 'string' ? credsText : JSON.stringify(credsText), BufferJSON.reviver);
  const me = parseJid(creds?.me?.id);
  if (!me || !me.device || !creds.noiseKey?.public || !creds.signedIdentityKey?.public) {
    throw Object.assign(new Error('creds of a linked device needed (me.id with a device, noiseKey, signedIdentityKey)'), { status: 400 });
  }
  const account = world.createAccount(me.user, creds.me.name);
  const lid = parseJid(creds.me.lid);
  if (lid && account.lid !== lid.user && account.companions.size === 0) {
    world.byLid.delete(account.lid);
    account.lid = lid.user;
    world.byLid.set(lid.user, account);
  }
  const companion = world.newCompanion(account, {
    noisePublic: creds.noiseKey.public,
    identity: creds.signedIdentityKey.public,
    registrationId: creds.registrationId,
    signedPreKey: { id: creds.signedPreKey.keyId, public: creds.signedPreKey.keyPair.public, signature: creds.signedPreKey.signature },
    platform: creds.platform ?? 'web',
  });
  account.companions.delete(companion.device);
  companion.device = me.device;
  companion.keyIndex = me.device;
  account.nextDevice = Math.max(account.nextDevice, me.device + 1);
  world.link(companion);
  return summary(account);
}

export async function handleControl(world, req, res) {
  const url = new URL(req.url, 'http://loopback');
  const route = routes.find(([method, pattern]) => method === req.method && pattern.test(url.pathname));
  let status = 200;
  let body;
  try {
    if (!route) throw Object.assign(new Error(`no route ${req.method} ${url.pathname}`), { status: 404 });
    const params = url.pathname.match(route[1]).slice(1);
    const input = req.method === 'POST' ? await readJson(req) : {};
    body = await route[2](world, params, input);
  } catch (e) {
    status = e.status ?? 500;
    body = { error: e.message };
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw Object.assign(new Error('the body is not JSON'), { status: 400 });
  }
}
