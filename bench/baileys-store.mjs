// Baileys' own store, timed: the baseline of dev.vigia.bench.StoreThroughput (which runs this).
//
//   node baileys-store.mjs <baileys index.js> generate <workload.json>
//     writes the workload: 5 pre-key uploads of 812 keys (Baileys' INITIAL_PREKEY_COUNT, made by
//     its own Curve), 3,000 session values (one per message ratchet, over 300 contacts), and
//     creds from initAuthCreds(); every value as the JSON text Baileys writes
//     (JSON.stringify(value, BufferJSON.replacer)), so both stores write the same bytes.
//   node baileys-store.mjs <baileys index.js> run <workload.json> <empty folder>
//     runs useMultiFileAuthState on that folder, each call awaited as Baileys awaits it, then
//     the session writes again from 20 orgs at once, and prints one JSON line of timings.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

const [baileysIndex, mode, workloadFile, folder] = process.argv.slice(2);
const { useMultiFileAuthState, initAuthCreds, BufferJSON, Curve } =
  await import(pathToFileURL(baileysIndex).href);

const PRE_KEY_BATCHES = 5;
const PRE_KEYS_PER_BATCH = 812;
const SESSION_WRITES = 3000;
const CONTACTS = 300;
const CREDS_SAVES = 2000;
const ORGS = 20;

const text = (value) => JSON.stringify(value, BufferJSON.replacer);
const b64 = (n) => randomBytes(n).toString('base64');

/** A libsignal session record's shape and size (about 1 KB), fresh keys each ratchet. */
function sessionValue(registrationId) {
  return {
    _sessions: {
      [b64(33)]: {
        registrationId,
        currentRatchet: {
          ephemeralKeyPair: { pubKey: b64(33), privKey: b64(32) },
          lastRemoteEphemeralKey: b64(33),
          previousCounter: 0,
          rootKey: b64(32),
        },
        indexInfo: { baseKey: b64(33), baseKeyType: 1, closed: -1, used: Date.now(), created: Date.now(), remoteIdentityKey: b64(33) },
        _chains: {
          [b64(33)]: { chainKey: { counter: 1, key: b64(32) }, chainType: 1, messageKeys: {} },
          [b64(33)]: { chainKey: { counter: 0, key: b64(32) }, chainType: 2, messageKeys: { 1: b64(32) } },
        },
      },
    },
    version: 'v1',
  };
}

async function generate() {
  const preKeyBatches = [];
  let id = 1;
  for (let b = 0; b < PRE_KEY_BATCHES; b++) {
    const batch = [];
    for (let i = 0; i < PRE_KEYS_PER_BATCH; i++, id++) {
      batch.push([String(id), text(Curve.generateKeyPair())]);
    }
    preKeyBatches.push(batch);
  }
  const sessions = [];
  for (let i = 0; i < SESSION_WRITES; i++) {
    const contact = `52155500${String(i % CONTACTS).padStart(5, '0')}.0`;
    sessions.push([contact, text(sessionValue(i % CONTACTS))]);
  }
  const creds = text(initAuthCreds());
  await writeFile(workloadFile, JSON.stringify({ preKeyBatches, sessions, creds, credsSaves: CREDS_SAVES }));
}

async function run() {
  const workload = JSON.parse(await readFile(workloadFile, 'utf8'));
  const revive = (t) => JSON.parse(t, BufferJSON.reviver);
  // values as Baileys holds them in memory (Buffers), so the timed part stringifies as it does
  const batches = workload.preKeyBatches.map((batch) => Object.fromEntries(batch.map(([id, t]) => [id, revive(t)])));
  const sessions = workload.sessions.map(([id, t]) => [id, revive(t)]);
  const { state, saveCreds } = await useMultiFileAuthState(folder);
  Object.assign(state.creds, revive(workload.creds));

  let start = process.hrtime.bigint();
  for (const batch of batches) {
    await state.keys.set({ 'pre-key': batch });
  }
  const preKeyMs = Number(process.hrtime.bigint() - start) / 1e6;

  start = process.hrtime.bigint();
  for (const [id, value] of sessions) {
    await state.keys.set({ session: { [id]: value } });
  }
  const sessionMs = Number(process.hrtime.bigint() - start) / 1e6;

  start = process.hrtime.bigint();
  for (let i = 0; i < workload.credsSaves; i++) {
    await saveCreds();
  }
  const credsMs = Number(process.hrtime.bigint() - start) / 1e6;

  // the same session writes from 20 orgs at once (each org's calls awaited in turn)
  const orgs = [];
  for (let o = 0; o < ORGS; o++) {
    orgs.push((await useMultiFileAuthState(`${folder}/org-${o}`)).state);
  }
  start = process.hrtime.bigint();
  await Promise.all(orgs.map(async (orgState, o) => {
    for (let i = o; i < sessions.length; i += ORGS) {
      const [id, value] = sessions[i];
      await orgState.keys.set({ session: { [id]: value } });
    }
  }));
  const manyOrgsMs = Number(process.hrtime.bigint() - start) / 1e6;

  const preKeys = batches.reduce((n, b) => n + Object.keys(b).length, 0);
  console.log(JSON.stringify({
    preKeyKeysPerSec: preKeys / (preKeyMs / 1000),
    sessionWritesPerSec: sessions.length / (sessionMs / 1000),
    credsSavesPerSec: workload.credsSaves / (credsMs / 1000),
    sessionWrites20OrgsPerSec: sessions.length / (manyOrgsMs / 1000),
    preKeyMs, sessionMs, credsMs, manyOrgsMs,
  }));
}

if (mode === 'generate') {
  await generate();
} else if (mode === 'run') {
  await run();
} else {
  console.error('usage: node baileys-store.mjs <baileys index.js> generate|run <workload.json> [folder]');
  process.exit(2);
}
