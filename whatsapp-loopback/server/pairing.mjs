// Linking a companion the two ways a phone does it: scanning the QR code the companion shows, or
// typing the 8-character code it shows. The phone is simulated with a test-owned account key; the
// device identity it signs passes every check Baileys makes (HMAC with the advSecret, the account
// signature, and the device signature Baileys sends back), then WhatsApp asks for a restart (515).
import { pbkdf2Sync, randomBytes, randomInt } from 'node:crypto';
import {
  Curve, hkdf, hmacSign, proto, aesDecryptCTR, aesEncryptCTR, aesDecryptGCM,
  WA_ADV_ACCOUNT_SIG_PREFIX, WA_ADV_DEVICE_SIG_PREFIX,
} from '@whiskeysockets/baileys';
import { S_WHATSAPP_NET, bytesOf, child, errorResult, now, result, stanzaId } from './nodes.mjs';
import { log } from './log.mjs';

/** The phone of `account` scans `qr` (the text Baileys shows: `…#ref,noiseKey,identityKey,advSecret,platform`). */
export async function scanQr(world, account, qr) {
  const [ref, noiseB64, identityB64, advB64] = String(qr).slice(String(qr).indexOf('#') + 1).split(',');
  const conn = world.refs.get(ref);
  if (!conn || conn.closed || !conn.registration) {
    throw Object.assign(new Error('no companion is showing this QR code (unknown or expired ref)'), { status: 404 });
  }
  const reg = conn.registration;
  if (reg.noisePublic.toString('base64') !== noiseB64 || reg.identity.toString('base64') !== identityB64) {
    throw Object.assign(new Error('the QR code does not match the companion that showed it'), { status: 409 });
  }
  log(`the phone of ${account.user} scanned a QR code`);
  return pairSuccess(world, conn, account, Buffer.from(advB64, 'base64'));
}

/**
 * Sends `pair-success` with a device identity signed by the account's key and HMAC'd with the
 * advSecret, checks the device signature in Baileys' answer, links the companion, then 515.
 */
async function pairSuccess(world, conn, account, advSecret) {
  const reg = conn.registration;
  const companion = world.newCompanion(account, reg);
  const details = proto.ADVDeviceIdentity.encode({
    rawId: randomInt(2 ** 31), timestamp: Math.floor(Date.now() / 1000), keyIndex: companion.keyIndex,
    accountType: proto.ADVEncryptionType.E2EE, deviceType: proto.ADVEncryptionType.E2EE,
  }).finish();
  const accountSignatureKey = account.phone.identityPublic;
  const accountSignature = account.phone.sign(Buffer.concat([WA_ADV_ACCOUNT_SIG_PREFIX, details, reg.identity]));
  const signed = proto.ADVSignedDeviceIdentity.encode({ details, accountSignatureKey, accountSignature }).finish();
  const identity = proto.ADVSignedDeviceIdentityHMAC.encode({ details: signed, hmac: hmacSign(signed, advSecret) }).finish();
  const answer = await conn.request({
    tag: 'iq',
    attrs: { from: S_WHATSAPP_NET, type: 'set', id: stanzaId(), xmlns: 'md', t: now() },
    content: [{ tag: 'pair-success', attrs: {}, content: [
      { tag: 'device-identity', attrs: { 'key-index': String(companion.keyIndex) }, content: identity },
      { tag: 'platform', attrs: { name: 'android' } },
      { tag: 'device', attrs: { jid: companion.jid, lid: companion.lid } },
    ] }],
  });
  const signedBack = bytesOf(child(child(answer, 'pair-device-sign'), 'device-identity'));
  if (!signedBack) {
    throw Object.assign(new Error('the companion refused the pairing (no pair-device-sign)'), { status: 409 });
  }
  const back = proto.ADVSignedDeviceIdentity.decode(signedBack);
  const deviceMessage = Buffer.concat([WA_ADV_DEVICE_SIG_PREFIX, details, reg.identity, accountSignatureKey]);
  if (!Curve.verify(reg.identity, deviceMessage, back.deviceSignature)) {
    throw Object.assign(new Error('the companion\'s device signature does not verify'), { status: 409 });
  }
  world.link(companion);
  log(`${companion.jid} linked (${reg.platform}); asking for a restart (515)`);
  conn.streamError(515);
  return { jid: companion.jid, lid: companion.lid, device: companion.device };
}

// ---- pairing code: the companion says hello, the phone types the code, the companion finishes ----

/** `link_code_companion_reg stage=companion_hello`: the companion waits for its code to be typed. */
export function onCompanionHello(conn, iq, reg) {
  const user = String(reg.attrs.jid ?? '').split('@')[0];
  const wrapped = bytesOf(child(reg, 'link_code_pairing_wrapped_companion_ephemeral_pub'));
  const noise = bytesOf(child(reg, 'companion_server_auth_key_pub'));
  if (!conn.registration || !wrapped || wrapped.length !== 80 || !noise?.equals(conn.registration.noisePublic)) {
    return errorResult(iq, 400, 'bad-request');
  }
  const ref = randomBytes(16).toString('hex');
  conn.world.pairingCodes.set(user, { connection: conn, wrapped, ref });
  log(`a companion asked for a pairing code for ${user}`);
  return result(iq, [{ tag: 'link_code_companion_reg', attrs: {}, content: [
    { tag: 'link_code_pairing_ref', attrs: {}, content: Buffer.from(ref) },
  ] }]);
}

const codeKey = (code, salt) => pbkdf2Sync(Buffer.from(code), salt, 2 << 16, 32, 'sha256');

/** The phone of `account` types `code`: it answers with its own ephemeral key, wrapped with the code. */
export function enterPairingCode(world, account, code) {
  const pending = world.pairingCodes.get(account.user);
  if (!pending || pending.connection.closed) {
    throw Object.assign(new Error(`no companion is waiting for a pairing code for ${account.user}`), { status: 404 });
  }
  const { wrapped } = pending;
  const companionEphemeral = aesDecryptCTR(wrapped.subarray(48, 80), codeKey(code, wrapped.subarray(0, 32)), wrapped.subarray(32, 48));
  const primaryEphemeral = Curve.generateKeyPair();
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const wrappedPrimary = Buffer.concat([salt, iv, aesEncryptCTR(primaryEphemeral.public, codeKey(code, salt), iv)]);
  Object.assign(pending, { account, companionEphemeral, primaryEphemeral });
  log(`the phone of ${account.user} entered a pairing code`);
  pending.connection.send({
    tag: 'notification',
    attrs: { from: S_WHATSAPP_NET, type: 'link_code_companion_reg', id: stanzaId(), t: now() },
    content: [{ tag: 'link_code_companion_reg', attrs: { stage: 'primary_hello' }, content: [
      { tag: 'link_code_pairing_ref', attrs: {}, content: Buffer.from(pending.ref) },
      { tag: 'primary_identity_pub', attrs: {}, content: account.phone.identityPublic },
      { tag: 'link_code_pairing_wrapped_primary_ephemeral_pub', attrs: {}, content: wrappedPrimary },
    ] }],
  });
  return { ref: pending.ref };
}

/** `stage=companion_finish`: the key bundle opens only if both sides used the same code. */
export function onCompanionFinish(conn, iq, reg) {
  const pending = [...conn.world.pairingCodes.values()].find((p) => p.connection === conn && p.account);
  const bundle = bytesOf(child(reg, 'link_code_pairing_wrapped_key_bundle'));
  if (!pending || !bundle) return errorResult(iq, 404, 'item-not-found');
  const { account, companionEphemeral, primaryEphemeral } = pending;
  conn.world.pairingCodes.delete(account.user);
  const companionShared = Curve.sharedKey(primaryEphemeral.private, companionEphemeral);
  const key = Buffer.from(hkdf(companionShared, 32, { salt: bundle.subarray(0, 32), info: 'link_code_pairing_key_bundle_encryption_key' }));
  let plain;
  try {
    plain = aesDecryptGCM(bundle.subarray(44), key, bundle.subarray(32, 44), Buffer.alloc(0));
  } catch {
    log(`pairing for ${account.user} failed: the code typed on the phone is not the companion's`);
    return errorResult(iq, 401, 'not-authorized');
  }
  const companionIdentity = plain.subarray(0, 32);
  if (!companionIdentity.equals(conn.registration.identity) || !plain.subarray(32, 64).equals(account.phone.identityPublic)) {
    return errorResult(iq, 409, 'conflict');
  }
  const identityShared = Curve.sharedKey(account.phone.identity.privKey, companionIdentity);
  const advSecret = Buffer.from(hkdf(Buffer.concat([companionShared, identityShared, plain.subarray(64, 96)]), 32, { info: 'adv_secret' }));
  setImmediate(() => pairSuccess(conn.world, conn, account, advSecret)
    .catch((e) => log(`pairing for ${account.user} failed: ${e.message}`)));
  return result(iq);
}
