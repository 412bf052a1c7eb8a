// WhatsApp Web's Noise XX handshake, server side, then its transport: 3-byte length-prefixed
// frames, AES-256-GCM with a counter IV. Mirrors Baileys' client (Utils/noise-handler.js) step
// for step; only the crypto helpers Baileys exports are used.
import { Curve, hkdf, sha256, aesEncryptGCM, aesDecryptGCM, proto, NOISE_MODE, NOISE_WA_HEADER } from '@whiskeysockets/baileys';


const ivFor = (counter) => {
  const iv = Buffer.alloc(12);
  iv.writeUInt32BE(counter, 8);
  return iv;
};

/** The symmetric half of Noise: hash, chaining key, cipher key, counter. */
class HandshakeState {
  constructor() {
    const mode = Buffer.from(NOISE_MODE);
    this.hash = mode.length === 32 ? mode : sha256(mode);
    this.salt = this.hash;
    this.key = this.hash;
    this.counter = 0;
  }

  authenticate(data) {
    this.hash = sha256(Buffer.concat([this.hash, data]));
  }

  mixIntoKey(data) {
    const out = Buffer.from(hkdf(Buffer.from(data), 64, { salt: this.salt, info: '' }));
    this.salt = out.subarray(0, 32);
    this.key = out.subarray(32);
    this.counter = 0;
  }

  encrypt(plaintext) {
    const ciphertext = aesEncryptGCM(plaintext, this.key, ivFor(this.counter++), this.hash);
    this.authenticate(ciphertext);
    return ciphertext;
  }

  decrypt(ciphertext) {
    const plaintext = aesDecryptGCM(ciphertext, this.key, ivFor(this.counter++), this.hash);
    this.authenticate(ciphertext);
    return plaintext;
  }

  /** The two transport keys: the client writes with the first, so the server reads with it. */
  split() {
    const out = Buffer.from(hkdf(Buffer.alloc(0), 64, { salt: this.salt, info: '' }));
    return { clientWrite: out.subarray(0, 32), serverWrite: out.subarray(32) };
  }
}

class Transport {
  constructor(readKey, writeKey) {
    this.readKey = readKey;
    this.writeKey = writeKey;
    this.readCounter = 0;
    this.writeCounter = 0;
  }

  decrypt(ciphertext) {
    return aesDecryptGCM(ciphertext, this.readKey, ivFor(this.readCounter++), Buffer.alloc(0));
  }

  encrypt(plaintext) {
    return aesEncryptGCM(plaintext, this.writeKey, ivFor(this.writeCounter++), Buffer.alloc(0));
  }
}

/**
 * One connection's Noise: feed it the bytes the client sends (`push`), it returns what to answer
 * and, once the handshake is done, the client's static key, its ClientPayload, and then the
 * decrypted frames.
 */
export class NoiseServer {
  constructor({ staticKeyPair, certificateChain }) {
    this.static = staticKeyPair;
    this.chain = certificateChain;
    this.state = new HandshakeState();
    this.ephemeral = Curve.generateKeyPair();
    this.stage = 'intro';
    this.inBytes = Buffer.alloc(0);
    this.transport = null;
  }

  /**
   * @returns {{ reply?: Buffer, login?: { clientStatic: Buffer, payload: object }, frames: Buffer[] }}
   */
  push(data) {
    this.inBytes = this.inBytes.length ? Buffer.concat([this.inBytes, data]) : Buffer.from(data);
    const result = { frames: [] };
    if (this.stage === 'intro') {
      if (!this.readIntro()) return result;
    }
    for (let frame = this.nextFrame(); frame; frame = this.nextFrame()) {
      if (this.stage === 'hello') {
        result.reply = this.frame(this.serverHello(frame));
        this.stage = 'finish';
      } else if (this.stage === 'finish') {
        result.login = this.clientFinish(frame);
        this.stage = 'transport';
      } else {
        result.frames.push(this.transport.decrypt(frame));
      }
    }
    return result;
  }

  /** Frames a node's bytes for the client (encrypted once the handshake is done). */
  frame(bytes) {
    const data = this.transport ? this.transport.encrypt(bytes) : bytes;
    const header = Buffer.alloc(3);
    header[0] = (data.length >>> 16) & 0xff;
    header.writeUInt16BE(data.length & 0xffff, 1);
    return Buffer.concat([header, data]);
  }

  readIntro() {
    // Baileys sends "WA", 6, 3 first; with routing info it prefixes "ED", 0, 1, a 3-byte length and the routing bytes
    if (this.inBytes.length >= 2 && this.inBytes.subarray(0, 2).toString() === 'ED') {
      if (this.inBytes.length < 7) return false;
      const routingLength = (this.inBytes[4] << 16) | this.inBytes.readUInt16BE(5);
      if (this.inBytes.length < 7 + routingLength) return false;
      this.inBytes = this.inBytes.subarray(7 + routingLength);
    }
    if (this.inBytes.length < NOISE_WA_HEADER.length) return false;
    const header = this.inBytes.subarray(0, NOISE_WA_HEADER.length);
    if (!header.subarray(0, 2).equals(NOISE_WA_HEADER.subarray(0, 2))) {
      throw new Error(`not a WhatsApp Noise prologue: ${header.toString('hex')}`);
    }
    this.state.authenticate(header);
    this.inBytes = this.inBytes.subarray(NOISE_WA_HEADER.length);
    this.stage = 'hello';
    return true;
  }

  nextFrame() {
    if (this.inBytes.length < 3) return null;
    const size = (this.inBytes[0] << 16) | this.inBytes.readUInt16BE(1);
    if (this.inBytes.length < size + 3) return null;
    const frame = this.inBytes.subarray(3, size + 3);
    this.inBytes = this.inBytes.subarray(size + 3);
    return frame;
  }

  serverHello(frame) {
    const { clientHello } = proto.HandshakeMessage.decode(frame);
    if (!clientHello?.ephemeral || clientHello.ephemeral.length !== 32) {
      throw new Error('client hello without an ephemeral key');
    }
    this.clientEphemeral = Buffer.from(clientHello.ephemeral);
    const s = this.state;
    s.authenticate(this.clientEphemeral);
    s.authenticate(this.ephemeral.public);
    s.mixIntoKey(Curve.sharedKey(this.ephemeral.private, this.clientEphemeral));
    const staticEnc = s.encrypt(this.static.public);
    s.mixIntoKey(Curve.sharedKey(this.static.private, this.clientEphemeral));
    const payloadEnc = s.encrypt(this.chain);
    return proto.HandshakeMessage.encode({
      serverHello: { ephemeral: this.ephemeral.public, static: staticEnc, payload: payloadEnc },
    }).finish();
  }

  clientFinish(frame) {
    const { clientFinish } = proto.HandshakeMessage.decode(frame);
    if (!clientFinish?.static || !clientFinish?.payload) {
      throw new Error('client finish without its static key or payload');
    }
    const s = this.state;
    const clientStatic = Buffer.from(s.decrypt(clientFinish.static));
    s.mixIntoKey(Curve.sharedKey(this.ephemeral.private, clientStatic));
    const payload = proto.ClientPayload.decode(s.decrypt(clientFinish.payload));
    const { clientWrite, serverWrite } = s.split();
    this.transport = new Transport(clientWrite, serverWrite);
    return { clientStatic, payload };
  }
}
