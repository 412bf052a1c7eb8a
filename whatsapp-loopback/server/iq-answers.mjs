// Answers to the iq queries Baileys sends, as WhatsApp answers them. A handler returns the answer
// node, null when it answered by itself, or undefined for a query this server does not know (the
// connection logs it and remembers it, so a test can see which answer Baileys waited for).
import { bigEndian, bytesOf, child, children, fromBigEndian, result } from './nodes.mjs';
import { lidJid } from './world.mjs';
import { onCompanionHello, onCompanionFinish } from './pairing.mjs';
import { pushInitialHistory } from './messaging.mjs';
import { log } from './log.mjs';

const KEY_BUNDLE_TYPE = Buffer.from([5]);

export async function answerIq(conn, iq) {
  const { xmlns, type } = iq.attrs;
  const first = Array.isArray(iq.content) ? iq.content[0] : undefined;
  const what = first?.tag ?? '';
  if (xmlns === 'w:p' && what === 'ping') return result(iq);
  if (xmlns === 'md' && what === 'link_code_companion_reg') {
    return first.attrs.stage === 'companion_hello' ? onCompanionHello(conn, iq, first) : onCompanionFinish(conn, iq, first);
  }
  const companion = conn.companion;
  if (!companion) return undefined; // an unlinked companion may only ping and pair
  switch (`${xmlns} ${type} ${what}`) {
    case 'encrypt get count':
      return result(iq, [{ tag: 'count', attrs: { value: String(companion.preKeys.size) } }]);
    case 'encrypt set registration':
      return uploadPreKeys(iq, companion);
    case 'encrypt get digest':
      return digest(iq, companion);
    case 'encrypt get key':
      return preKeyBundles(conn, iq, first);
    case 'encrypt set rotate': {
      const skey = child(first, 'skey');
      companion.signedPreKey = signedPreKeyOf(skey);
      return result(iq);
    }
    case 'passive set active': case 'passive set passive':
      return result(iq);
    case 'abt get props':
      return result(iq, [{ tag: 'props', attrs: { protocol: '1', hash: 'loopback-1' }, content: [
        { tag: 'prop', attrs: { config_code: '10518', config_value: 'true', name: 'privacy_token_sending_on_all_1_on_1_messages', value: 'true' } },
      ] }]);
    case 'blocklist get ':
      return result(iq, [{ tag: 'list', attrs: {} }]);
    case 'privacy get privacy':
      return result(iq, [{ tag: 'privacy', attrs: {}, content: [
        ['last', 'all'], ['online', 'all'], ['profile', 'all'], ['status', 'all'], ['groupadd', 'all'],
        ['readreceipts', 'all'], ['calladd', 'all'], ['messages', 'all'],
      ].map(([name, value]) => ({ tag: 'category', attrs: { name, value } })) }]);
    case 'privacy set tokens':
      return result(iq, [{ tag: 'tokens', attrs: {} }]);
    case 'privacy set privacy':
      return result(iq);
    case 'usync get usync':
      return usync(conn, iq, first);
    case 'md set remove-companion-device': {
      companion.removed = true;
      log(`${companion.jid} unlinked itself (logout)`);
      return result(iq);
    }
    case 'w:sync:app:state set sync':
      return result(iq, [{ tag: 'sync', attrs: {}, content: children(first, 'collection').map((c) => ({
        tag: 'collection', attrs: { name: c.attrs.name, version: c.attrs.version ?? '0' },
      })) }]);
    default:
      return undefined;
  }
}

function signedPreKeyOf(skey) {
  return {
    id: fromBigEndian(bytesOf(child(skey, 'id'))),
    public: bytesOf(child(skey, 'value')),
    signature: bytesOf(child(skey, 'signature')),
  };
}

/** `<iq xmlns=encrypt type=set>`: the companion's identity, signed pre-key and one-time pre-keys. */
function uploadPreKeys(iq, companion) {
  const identity = bytesOf(child(iq, 'identity'));
  if (identity && !identity.equals(companion.identity)) {
    log(`${companion.jid} uploaded a different identity key than it linked with`);
    companion.identity = identity;
  }
  companion.registrationId = fromBigEndian(bytesOf(child(iq, 'registration')));
  companion.signedPreKey = signedPreKeyOf(child(iq, 'skey'));
  for (const key of children(child(iq, 'list'), 'key')) {
    companion.preKeys.set(fromBigEndian(bytesOf(child(key, 'id'))), bytesOf(child(key, 'value')));
    companion.preKeysUploaded++;
  }
  log(`${companion.jid} uploaded pre-keys: ${companion.preKeys.size} on the server`);
  if (!companion.historySent) {
    companion.historySent = true;
    setImmediate(() => pushInitialHistory(companion).catch((e) => log(`initial history not sent: ${e.message}`)));
  }
  return result(iq);
}

function digest(iq, companion) {
  return result(iq, [{ tag: 'digest', attrs: {}, content: [
    { tag: 'registration', attrs: {}, content: bigEndian(companion.registrationId, 4) },
    { tag: 'type', attrs: {}, content: KEY_BUNDLE_TYPE },
    { tag: 'identity', attrs: {}, content: companion.identity },
    { tag: 'skey', attrs: {}, content: [{ tag: 'id', attrs: {}, content: bigEndian(companion.signedPreKey.id, 3) }] },
    { tag: 'list', attrs: {}, content: [...companion.preKeys.keys()].map((id) => ({ tag: 'id', attrs: {}, content: bigEndian(id, 3) })) },
  ] }]);
}

function bundleNode(jid, bundle) {
  const content = [
    { tag: 'registration', attrs: {}, content: bigEndian(bundle.registrationId, 4) },
    { tag: 'type', attrs: {}, content: KEY_BUNDLE_TYPE },
    { tag: 'identity', attrs: {}, content: bundle.identity },
    { tag: 'skey', attrs: {}, content: [
      { tag: 'id', attrs: {}, content: bigEndian(bundle.signedPreKey.id, 3) },
      { tag: 'value', attrs: {}, content: bundle.signedPreKey.public },
      { tag: 'signature', attrs: {}, content: bundle.signedPreKey.signature },
    ] },
  ];
  if (bundle.preKey) {
    content.push({ tag: 'key', attrs: {}, content: [
      { tag: 'id', attrs: {}, content: bigEndian(bundle.preKey.id, 3) },
      { tag: 'value', attrs: {}, content: bundle.preKey.public },
    ] });
  }
  return { tag: 'user', attrs: { jid }, content };
}

/** `<key><user jid=…/></key>`: a pre-key bundle per device asked for (a phone or a companion). */
function preKeyBundles(conn, iq, keyNode) {
  const users = children(keyNode, 'user').map(({ attrs: { jid } }) => {
    const found = conn.world.deviceOf(jid);
    if (!found) {
      log(`pre-keys asked for an unknown device ${jid}`);
      return { tag: 'user', attrs: { jid }, content: [{ tag: 'error', attrs: { code: '404', text: 'item-not-found' } }] };
    }
    const bundle = found.companion ? found.companion.takeBundle() : found.account.phone.takeBundle();
    return bundleNode(jid, bundle);
  });
  return result(iq, [{ tag: 'list', attrs: {}, content: users }]);
}

/** `<usync>`: per user the protocols asked for (devices, lid, contact…). */
function usync(conn, iq, usyncNode) {
  const query = child(usyncNode, 'query');
  const asked = new Set(children(query).map((c) => c.tag));
  const users = children(child(usyncNode, 'list'), 'user').map((user) => {
    const jid = user.attrs.jid ?? bytesOf(child(user, 'contact'))?.toString();
    const phone = jid?.startsWith('+') ? jid.slice(1) : null;
    const account = phone ? conn.world.account(phone) : conn.world.accountOf(jid);
    const answerJid = phone ? (account ? account.jid : `${phone}@s.whatsapp.net`) : jid;
    const content = [];
    if (asked.has('devices')) {
      const devices = account ? [{ tag: 'device', attrs: { id: '0' } }, ...account.liveCompanions().map((c) => ({
        tag: 'device', attrs: { id: String(c.device), 'key-index': String(c.keyIndex) },
      }))] : [];
      content.push({ tag: 'devices', attrs: {}, content: [
        { tag: 'device-list', attrs: {}, content: devices },
        ...(account ? [{ tag: 'key-index-list', attrs: { ts: String(Math.floor(Date.now() / 1000)) } }] : []),
      ] });
    }
    if (asked.has('lid') && account) {
      content.push({ tag: 'lid', attrs: { val: lidJid(account.lid) } });
    }
    if (asked.has('contact')) {
      content.push({ tag: 'contact', attrs: { type: account ? 'in' : 'out' } });
    }
    if (asked.has('status') && account) {
      content.push({ tag: 'status', attrs: { t: '0' }, content: Buffer.from('') });
    }
    return { tag: 'user', attrs: { jid: answerJid }, content };
  });
  return result(iq, [{ tag: 'usync', attrs: { ...usyncNode.attrs }, content: [
    { tag: 'result', attrs: {}, content: [...asked].map((tag) => ({ tag, attrs: {} })) },
    { tag: 'list', attrs: {}, content: users },
  ] }]);
}

