// Small helpers over Baileys' binary nodes ({ tag, attrs, content }).
import { randomBytes } from 'node:crypto';

export const S_WHATSAPP_NET = 's.whatsapp.net';

export const children = (node, tag) =>
  (Array.isArray(node?.content) ? node.content.filter((c) => !tag || c.tag === tag) : []);
export const child = (node, tag) => children(node, tag)[0];
export const bytesOf = (node) =>
  (node?.content instanceof Uint8Array ? Buffer.from(node.content) : typeof node?.content === 'string' ? Buffer.from(node.content) : null);

export const now = () => String(Math.floor(Date.now() / 1000));
export const stanzaId = () => randomBytes(8).toString('hex').toUpperCase();

/** The answer to an iq: same id, type result, from the server. */
export const result = (iq, content) => ({
  tag: 'iq',
  attrs: { from: iq.attrs.to || S_WHATSAPP_NET, type: 'result', id: iq.attrs.id },
  ...(content ? { content } : {}),
});

/** An iq error answer (Baileys' assertNodeErrorFree turns it into a failed query). */
export const errorResult = (iq, code, text) => ({
  tag: 'iq',
  attrs: { from: S_WHATSAPP_NET, type: 'error', id: iq.attrs.id },
  content: [{ tag: 'error', attrs: { code: String(code), text } }],
});

export const bigEndian = (value, bytes) => {
  const out = Buffer.alloc(bytes);
  for (let i = bytes - 1; i >= 0; i--) {
    out[i] = value & 0xff;
    value = Math.floor(value / 256);
  }
  return out;
};
export const fromBigEndian = (buffer) => [...buffer].reduce((n, b) => n * 256 + b, 0);

/** A short description of a node for the log: tag, the attributes that say what it is, first child. */
export function describe(node) {
  const { tag, attrs = {} } = node;
  const keys = ['xmlns', 'type', 'id', 'to'].filter((k) => attrs[k]).map((k) => `${k}=${attrs[k]}`);
  const first = Array.isArray(node.content) && node.content[0] ? ` <${node.content[0].tag}>` : '';
  return `<${tag} ${keys.join(' ')}>${first}`;
}
