// Baileys' own store under kill -9: the baseline of dev.vigia.bench.CrashSafety (which runs this).
//
//   node baileys-crash.mjs <baileys index.js> write <empty folder>
//     writes through useMultiFileAuthState until killed: each step a pre-key upload of 100 keys
//     (one keys.set), 10 session writes (one keys.set each) and a creds save, every call awaited
//     as Baileys awaits it; every value carries the step's number ("seq"); 10 such steps into
//     another folder first, to warm up. After each call
//     resolves it prints "<seq> <type> <id,id,...>" (type "creds" for the creds), so the parent
//     knows which writes were acknowledged. Prints "ready" first.
//   node baileys-crash.mjs <baileys index.js> check <folder> <folder> ...
//     opens each folder as Baileys does at start (useMultiFileAuthState, which reads creds.json),
//     then JSON.parse(…, BufferJSON.reviver) of every file, as keys.get would; prints one JSON line
//     per folder: the files, the unreadable ones, the seq each readable file holds.
import { randomBytes } from 'node:crypto';
import { writeSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [baileysIndex, mode, ...folders] = process.argv.slice(2);
const { useMultiFileAuthState, BufferJSON } = await import(pathToFileURL(baileysIndex).href);

const PRE_KEYS = 812;
const PRE_KEYS_PER_STEP = 100;
const SESSIONS_PER_STEP = 10;
const CONTACTS = 300;
const WARM_UP_STEPS = 10;

// synchronous: a line printed is a line the parent can read, even if a kill follows at once
const say = (line) => writeSync(1, line + '\n');

function sessionValue(seq) {
  return {
    seq,
    _sessions: {
      [randomBytes(33).toString('base64')]: {
        registrationId: seq % 16384,
        currentRatchet: {
          ephemeralKeyPair: { pubKey: randomBytes(33), privKey: randomBytes(32) },
          lastRemoteEphemeralKey: randomBytes(33),
          previousCounter: 0,
          rootKey: randomBytes(32),
        },
        indexInfo: { baseKey: randomBytes(33), baseKeyType: 1, closed: -1, used: seq, created: seq, remoteIdentityKey: randomBytes(33) },
        _chains: { [randomBytes(33).toString('base64')]: { chainKey: { counter: 1, key: randomBytes(32) }, chainType: 1, messageKeys: {} } },
      },
    },
    version: 'v1',
  };
}

async function write(folder) {
  // warm first, as Vigía's writer does, in a folder the parent does not check
  const warm = await useMultiFileAuthState(`${folder}-warmup`);
  await steps(warm.state, warm.saveCreds, WARM_UP_STEPS, () => {});
  const { state, saveCreds } = await useMultiFileAuthState(folder);
  say('ready');
  await steps(state, saveCreds, Infinity, say);
}

async function steps(state, saveCreds, last, say) {
  for (let seq = 1; seq <= last; seq++) {
    const preKeys = {};
    for (let i = 0; i < PRE_KEYS_PER_STEP; i++) {
      const id = String(((seq * PRE_KEYS_PER_STEP + i) % PRE_KEYS) + 1);
      preKeys[id] = { seq, private: randomBytes(32), public: randomBytes(33) };
    }
    await state.keys.set({ 'pre-key': preKeys });
    say(`${seq} pre-key ${Object.keys(preKeys).join(',')}`);
    for (let s = 0; s < SESSIONS_PER_STEP; s++) {
      const id = `52155500${String((seq * SESSIONS_PER_STEP + s) % CONTACTS).padStart(5, '0')}.0`;
      await state.keys.set({ session: { [id]: sessionValue(seq) } });
      say(`${seq} session ${id}`);
    }
    state.creds.seq = seq;
    state.creds.advSecretKey = randomBytes(32).toString('base64');
    await saveCreds();
    say(`${seq} creds creds`);
  }
}

async function check(folder) {
  // as Baileys starts: an unreadable creds.json silently becomes fresh creds (a new QR)
  const { state } = await useMultiFileAuthState(folder);
  const credsSeq = state.creds.seq ?? null;
  const files = (await readdir(folder)).filter((f) => f.endsWith('.json'));
  const unreadable = [];
  const seqs = {};
  for (const file of files) {
    try {
      const value = JSON.parse(await readFile(join(folder, file), 'utf8'), BufferJSON.reviver);
      seqs[file] = value?.seq ?? null;
    } catch {
      unreadable.push(file);
    }
  }
  return { folder, files: files.length, unreadable, seqs, credsSeq };
}

if (mode === 'write') {
  await write(folders[0]);
} else if (mode === 'check') {
  for (const folder of folders) {
    say(JSON.stringify(await check(folder)));
  }
} else {
  console.error('usage: node baileys-crash.mjs <baileys index.js> write <folder> | check <folder>...');
  process.exit(2);
}
