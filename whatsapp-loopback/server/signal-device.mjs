// A simulated phone: one WhatsApp device with a real Signal identity (the libsignal Baileys itself
// uses), its pre-keys and its sessions, all in memory. Contacts and the linked account's own phone
// are such devices; what they decrypt is real, so a test can see exactly what Baileys sent.
import libsignal from 'libsignal';
import { Curve, encodeWAMessage, unpadRandomMax16, proto } from '@whiskeysockets/baileys';

const { keyhelper, SessionBuilder, SessionCipher, ProtocolAddress, SessionRecord } = libsignal;
const PRE_KEYS = 50;

/** 33-byte libsignal key → the 32 bytes WhatsApp puts on the wire. */
const wire = (key) => Buffer.from(key).subarray(key.length === 33 ? 1 : 0);
const signalKey = (key) => (key.length === 33 ? Buffer.from(key) : Buffer.concat([Buffer.from([5]), Buffer.from(key)]));

export class SignalDevice {
  constructor() {
    this.identity = keyhelper.generateIdentityKeyPair();
    this.registrationId = keyhelper.generateRegistrationId();
    this.signedPreKey = keyhelper.generateSignedPreKey(this.identity, 1);
    this.preKeys = new Map();
    this.nextPreKeyId = 1;
    this.topUpPreKeys();
    this.sessions = new Map();
    this.storage = this.makeStorage();
  }

  /** The 32-byte identity key, as WhatsApp sends it. */
  get identityPublic() {
    return wire(this.identity.pubKey);
  }

  /** Signs with the identity key (XEdDSA), as the phone signs a linked device's identity. */
  sign(message) {
    return Buffer.from(Curve.sign(this.identity.privKey, message));
  }

  /** One pre-key bundle, spending a one-time pre-key as the server would. */
  takeBundle() {
    if (this.preKeys.size === 0) this.topUpPreKeys();
    const [id, pair] = this.preKeys.entries().next().value;
    this.handedOut = this.handedOut ?? new Map();
    this.handedOut.set(id, pair);
    this.preKeys.delete(id);
    return {
      registrationId: this.registrationId,
      identity: this.identityPublic,
      signedPreKey: { id: this.signedPreKey.keyId, public: wire(this.signedPreKey.keyPair.pubKey), signature: Buffer.from(this.signedPreKey.signature) },
      preKey: { id, public: wire(pair.pubKey) },
    };
  }

  /** Starts a session towards `address` from a bundle another device uploaded. */
  async startSession(address, bundle) {
    await new SessionBuilder(this.storage, ProtocolAddress.from(address)).initOutgoing({
      registrationId: bundle.registrationId,
      identityKey: signalKey(bundle.identity),
      signedPreKey: { keyId: bundle.signedPreKey.id, publicKey: signalKey(bundle.signedPreKey.public), signature: bundle.signedPreKey.signature },
      preKey: bundle.preKey ? { keyId: bundle.preKey.id, publicKey: signalKey(bundle.preKey.public) } : undefined,
    });
  }

  hasSession(address) {
    const stored = this.sessions.get(address);
    return !!stored && SessionRecord.deserialize(stored).haveOpenSession();
  }

  /** Encrypts a WhatsApp message for `address`: { type: 'pkmsg' | 'msg', ciphertext }. */
  async encrypt(address, message) {
    const cipher = new SessionCipher(this.storage, ProtocolAddress.from(address));
    const { type, body } = await cipher.encrypt(encodeWAMessage(message));
    return { type: type === 3 ? 'pkmsg' : 'msg', ciphertext: Buffer.from(body, 'binary') };
  }

  /** Decrypts what `address` sent: the WhatsApp message (proto.Message). */
  async decrypt(address, type, ciphertext) {
    const cipher = new SessionCipher(this.storage, ProtocolAddress.from(address));
    const padded = type === 'pkmsg'
      ? await cipher.decryptPreKeyWhisperMessage(Buffer.from(ciphertext))
      : await cipher.decryptWhisperMessage(Buffer.from(ciphertext));
    return proto.Message.decode(unpadRandomMax16(padded));
  }

  topUpPreKeys() {
    for (let i = 0; i < PRE_KEYS; i++) {
      const { keyId, keyPair } = keyhelper.generatePreKey(this.nextPreKeyId++);
      this.preKeys.set(keyId, keyPair);
    }
  }

  makeStorage() {
    return {
      loadSession: async (id) => (this.sessions.has(id) ? SessionRecord.deserialize(this.sessions.get(id)) : undefined),
      storeSession: async (id, record) => { this.sessions.set(id, record.serialize()); },
      isTrustedIdentity: async () => true,
      loadPreKey: async (id) => this.handedOut?.get(Number(id)) ?? this.preKeys.get(Number(id)),
      removePreKey: async (id) => { this.handedOut?.delete(Number(id)); this.preKeys.delete(Number(id)); },
      loadSignedPreKey: async () => this.signedPreKey.keyPair,
      getOurRegistrationId: async () => this.registrationId,
      getOurIdentity: async () => this.identity,
    };
  }
}
