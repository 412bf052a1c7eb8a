// One client connection: the Noise handshake, then registration (a new companion waiting to be
// linked) or login (a linked companion), then the stanzas Baileys sends, and the faults a test asks
// for. Every iq this server cannot answer is logged and remembered (World.unanswered).
import { decodeBinaryNode, encodeBinaryNode, proto } from '@whiskeysockets/baileys';
import { NoiseServer } from './noise.mjs';
import { answerIq } from './iq-answers.mjs';
import { onMessageFromCompanion, onReceiptFromCompanion } from './messaging.mjs';
import { S_WHATSAPP_NET, describe, fromBigEndian, now, stanzaId } from './nodes.mjs';
import { pnJid } from './world.mjs';
import { log } from './log.mjs';

export class Connection {
  constructor(ws, world, keys) {
    this.ws = ws;
    this.world = world;
    this.noise = new NoiseServer(keys);
    this.companion = null;
    this.registration = null;
    this.stalled = false;
    this.closed = false;
    this.queue = Promise.resolve();
    this.waiting = new Map();
    world.connections.add(this);
    ws.on('message', (data) => { this.queue = this.queue.then(() => this.onData(data)).catch((e) => this.fail(e)); });
    ws.on('close', () => this.onClose());
    ws.on('error', (e) => log(`socket error: ${e.message}`));
  }

  get name() {
    return this.companion ? this.companion.jid : this.registration ? 'unlinked companion' : 'connection';
  }

  async onData(data) {
    if (this.closed || this.stalled) return; // a stalled server reads nothing and answers nothing
    const { reply, login, frames } = this.noise.push(Buffer.from(data));
    if (reply) this.ws.send(reply);
    if (login) this.onLogin(login);
    for (const frame of frames) {
      const node = await decodeBinaryNode(frame);
      if (!this.closed && !this.stalled) await this.onNode(node);
    }
  }

  onLogin({ clientStatic, payload }) {
    if (payload.devicePairingData) {
      this.register(clientStatic, payload);
    } else {
      this.login(clientStatic, payload);
    }
  }

  /** A companion without an account yet: show it refs for its QR codes. */
  register(clientStatic, payload) {
    const d = payload.devicePairingData;
    let platform = 'web';
    try {
      platform = proto.DeviceProps.decode(d.deviceProps).os || platform;
    } catch {
      // an old client without device props: keep the default
    }
    this.registration = {
      noisePublic: clientStatic,
      identity: Buffer.from(d.eIdent),
      registrationId: fromBigEndian(d.eRegid),
      signedPreKey: { id: fromBigEndian(d.eSkeyId), public: Buffer.from(d.eSkeyVal), signature: Buffer.from(d.eSkeySig) },
      platform,
    };
    const refs = this.world.newRefs(this);
    log(`a new companion connected (${platform}); sent ${refs.length} QR refs`);
    this.send({
      tag: 'iq',
      attrs: { from: S_WHATSAPP_NET, type: 'set', id: stanzaId(), xmlns: 'md' },
      content: [{ tag: 'pair-device', attrs: {}, content: refs.map((ref) => ({ tag: 'ref', attrs: {}, content: Buffer.from(ref) })) }],
    });
  }

  /** A linked companion logs in: known device and the Noise key it linked with, or 401. */
  login(clientStatic, payload) {
    const user = String(payload.username ?? '');
    const account = this.world.account(user);
    const companion = account?.companions.get(payload.device ?? 0);
    if (!account || !companion || companion.removed || !companion.noisePublic.equals(clientStatic)) {
      log(`login refused for ${pnJid(user, payload.device ?? 0)}: unknown or removed device (401)`);
      this.failure(401);
      return;
    }
    if (account.refusal) {
      log(`login refused for ${companion.jid}: ${account.refusal}`);
      this.failure(account.refusal);
      return;
    }
    if (companion.connection && companion.connection !== this && !companion.connection.closed) {
      // the older connection is replaced, as WhatsApp does when the same device logs in twice:
      // a cluster test counts these (two holders of one session's credentials at once)
      this.world.replacedLogins++;
      log(`${companion.jid}: a second login with the same credentials replaces the older connection`);
      companion.connection.conflict();
    }
    this.companion = companion;
    companion.connection = this;
    log(`${companion.jid} logged in`);
    this.send({
      tag: 'success',
      attrs: { t: now(), location: 'loopback', creation: now(), lid: companion.lid, props: '1', abprops: '1' },
    });
    // nothing waited offline: tell the client so it stops buffering its events
    this.send({ tag: 'ib', attrs: { from: S_WHATSAPP_NET }, content: [{ tag: 'offline', attrs: { count: '0' } }] });
  }

  async onNode(node) {
    switch (node.tag) {
      case 'iq':
        if (node.attrs.type === 'result' || node.attrs.type === 'error') {
          this.waiting.get(node.attrs.id)?.(node);
          this.waiting.delete(node.attrs.id);
          return;
        }
        await this.onIq(node);
        return;
      case 'message':
        await onMessageFromCompanion(this, node);
        return;
      case 'receipt':
        await onReceiptFromCompanion(this, node);
        return;
      case 'ack': case 'presence': case 'chatstate': case 'ib': case 'call':
        return; // nothing for this server to do
      default:
        log(`${this.name}: ignored ${describe(node)}`);
    }
  }

  async onIq(iq) {
    let answer;
    try {
      answer = await answerIq(this, iq);
    } catch (e) {
      log(`${this.name}: answering ${describe(iq)} failed: ${e.stack}`);
      answer = null;
    }
    if (answer) {
      this.send(answer);
      return;
    }
    if (answer === undefined) {
      log(`UNANSWERED iq from ${this.name}: ${describe(iq)}`);
      this.world.noteUnanswered({ from: this.name, xmlns: iq.attrs.xmlns, type: iq.attrs.type, child: Array.isArray(iq.content) ? iq.content[0]?.tag : null });
    }
  }

  /** Sends an iq to the client and waits for its answer (pair-success, for one). */
  request(iq, timeoutMs = 15000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(iq.attrs.id);
        reject(new Error(`no answer to ${describe(iq)} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(iq.attrs.id, (answer) => { clearTimeout(timer); resolve(answer); });
      this.send(iq);
    });
  }

  send(node) {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(this.noise.frame(encodeBinaryNode(node)));
  }

  // ---- faults and endings ----

  /** 440: another client uses these credentials. */
  conflict() {
    this.endWith({ tag: 'stream:error', attrs: {}, content: [{ tag: 'conflict', attrs: { type: 'replaced' } }] }, 'conflict (440)');
  }

  /** `<stream:error code="…">`: 515 restart, 500 bad session, 503 unavailable… */
  streamError(code) {
    this.endWith({ tag: 'stream:error', attrs: { code: String(code) } }, `stream error ${code}`);
  }

  /** `<failure reason="…">`: 401 logged out, 402/403 banned, 405 outdated… */
  failure(code) {
    this.endWith({ tag: 'failure', attrs: { reason: String(code), location: 'loopback' } }, `failure ${code}`);
  }

  /** The socket goes away without a word (Baileys: 428 Connection Terminated). */
  drop() {
    log(`${this.name}: dropped the socket`);
    this.closed = true;
    this.ws.terminate();
  }

  /** Reads nothing and answers nothing any more: Baileys' keep-alive gives up (408). */
  stall() {
    log(`${this.name}: stalled (no more answers)`);
    this.stalled = true;
  }

  endWith(node, what) {
    if (this.closed) return;
    log(`${this.name}: ${what}`);
    this.send(node);
    this.closed = true;
    setTimeout(() => this.ws.close(), 50);
  }

  fail(error) {
    log(`${this.name}: closing after an error: ${error.stack ?? error}`);
    this.closed = true;
    this.ws.terminate();
  }

  onClose() {
    this.closed = true;
    if (this.companion?.connection === this) this.companion.connection = null;
    this.world.forgetConnection(this);
    for (const resolve of this.waiting.values()) resolve(null);
    this.waiting.clear();
  }
}
