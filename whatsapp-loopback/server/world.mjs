// What the loopback WhatsApp knows: accounts (a phone number, its LID, its phone as a simulated
// Signal device), the companion devices linked to each account with the keys they uploaded, and
// the iq queries it could not answer. In memory: a test starts one server and lives with it.
import { randomBytes, randomInt } from 'node:crypto';
import { SignalDevice } from './signal-device.mjs';

export const pnJid = (user, device = 0) => `${user}${device ? `:${device}` : ''}@s.whatsapp.net`;
export const lidJid = (lid, device = 0) => `${lid}${device ? `:${device}` : ''}@lid`;

/** "5215550001111:3@s.whatsapp.net" → { user, device, server } */
export function parseJid(jid) {
  const at = typeof jid === 'string' ? jid.indexOf('@') : -1;
  if (at < 0) return null;
  const [userAgent, device] = jid.slice(0, at).split(':');
  return { user: userAgent.split('_')[0], device: device ? Number(device) : 0, server: jid.slice(at + 1) };
}

/** A device linked to an account (what Baileys is): its Noise key and the Signal keys it uploaded. */
export class Companion {
  constructor(account, device, { noisePublic, identity, registrationId, signedPreKey, platform }) {
    this.account = account;
    this.device = device;
    this.keyIndex = device;
    this.noisePublic = Buffer.from(noisePublic);
    this.identity = Buffer.from(identity);
    this.registrationId = registrationId;
    this.signedPreKey = signedPreKey;
    this.platform = platform;
    this.preKeys = new Map();
    this.preKeysUploaded = 0;
    this.removed = false;
    this.connection = null;
  }

  get jid() {
    return pnJid(this.account.user, this.device);
  }

  get lid() {
    return lidJid(this.account.lid, this.device);
  }

  /** The Signal address simulated devices know this companion by. */
  get address() {
    return `${this.account.user}.${this.device}`;
  }

  /** One pre-key bundle for a sender, spending one of the pre-keys it uploaded. */
  takeBundle() {
    const next = this.preKeys.entries().next();
    let preKey;
    if (!next.done) {
      const [id, pub] = next.value;
      this.preKeys.delete(id);
      preKey = { id, public: pub };
    }
    return { registrationId: this.registrationId, identity: this.identity, signedPreKey: this.signedPreKey, preKey };
  }
}

export class Account {
  constructor(user, name) {
    this.user = user;
    this.name = name;
    this.lid = String(randomInt(10 ** 13, 10 ** 14));
    this.phone = new SignalDevice();
    this.companions = new Map();
    this.nextDevice = 1;
    /** 402/403: WhatsApp refuses every login of this account; 405: the client version is refused */
    this.refusal = null;
    /** what the phone decrypted: { from, to, id, text, at } */
    this.inbox = [];
    /** retry receipts (a companion could not decrypt) for messages this phone sent */
    this.retries = [];
  }

  get jid() {
    return pnJid(this.user);
  }

  /** The Signal address other simulated devices know this phone by. */
  get address() {
    return `${this.user}.0`;
  }

  /** The companions a message to this account goes to: linked and holding keys. */
  liveCompanions() {
    return [...this.companions.values()].filter((c) => !c.removed);
  }
}

export class World {
  constructor({ refs = 6 } = {}) {
    this.accounts = new Map();
    this.byLid = new Map();
    this.settings = { refs };
    /** ref → the connection that showed it (waiting for a phone to scan) */
    this.refs = new Map();
    /** phone number → the connection that asked for a pairing code */
    this.pairingCodes = new Map();
    this.unanswered = [];
    this.connections = new Set();
    /** logins that replaced a live connection of the same device with a 440 (stream conflict) */
    this.replacedLogins = 0;
  }

  account(user) {
    return this.accounts.get(String(user).replace(/[^0-9]/g, '')) ?? null;
  }

  createAccount(user, name) {
    const number = String(user).replace(/[^0-9]/g, '');
    if (!/^[0-9]{6,15}$/.test(number)) throw new Error('an account needs a phone number of 6 to 15 digits');
    if (this.accounts.has(number)) return this.accounts.get(number);
    const account = new Account(number, name ?? `Contact ${number.slice(-4)}`);
    this.accounts.set(number, account);
    this.byLid.set(account.lid, account);
    return account;
  }

  /** The account a jid names, PN or LID. */
  accountOf(jid) {
    const parsed = parseJid(jid);
    if (!parsed) return null;
    return parsed.server === 'lid' ? this.byLid.get(parsed.user) ?? null : this.accounts.get(parsed.user) ?? null;
  }

  /** The device a jid names: { account, companion } (companion null: the phone itself). */
  deviceOf(jid) {
    const account = this.accountOf(jid);
    if (!account) return null;
    const { device } = parseJid(jid);
    if (device === 0) return { account, companion: null };
    const companion = account.companions.get(device);
    return companion && !companion.removed ? { account, companion } : null;
  }

  /** A companion for `account` with the next device number; linked once its signature checks out. */
  newCompanion(account, registration) {
    return new Companion(account, account.nextDevice++, registration);
  }

  link(companion) {
    companion.account.companions.set(companion.device, companion);
  }

  newRefs(connection) {
    const refs = [];
    for (let i = 0; i < this.settings.refs; i++) {
      const ref = `2@${randomBytes(24).toString('base64')}`;
      this.refs.set(ref, connection);
      refs.push(ref);
    }
    return refs;
  }

  forgetConnection(connection) {
    this.connections.delete(connection);
    for (const [ref, c] of this.refs) if (c === connection) this.refs.delete(ref);
    for (const [user, pending] of this.pairingCodes) if (pending.connection === connection) this.pairingCodes.delete(user);
  }

  noteUnanswered(iq) {
    this.unanswered.push({ at: new Date().toISOString(), ...iq });
    if (this.unanswered.length > 200) this.unanswered.shift();
  }
}
