// Stands in for engine.mjs in BaileysBridgeProtocolTest: speaks the bridge protocol with scripted
// answers chosen by the org's name, after some lines a broken bridge might print.
import { createInterface } from 'node:readline';

const out = (m) => process.stdout.write(JSON.stringify(m) + '\n');
process.stdout.write('not json at all\n');
process.stdout.write('{"op":\n');
out([1, 2, 3]);
out({ op: 'qr', sid: 'not-a-number', qr: 'x' });
out({ op: 'creds.read', req: 1, sid: 999999, org: '../outside' });
out({ op: 'ready', node: process.version });

createInterface({ input: process.stdin }).on('line', (line) => {
  const m = JSON.parse(line);
  if (m.op === 'start') {
    const sid = m.sid;
    out({ op: 'started', sid });
    if (m.org === 'qr') {
      out({ op: 'qr', sid, qr: '2@first' });
      out({ op: 'qr', sid, qr: '2@second' });
    } else if (m.org === 'pair') {
      out({ op: 'pairing_code', sid, code: m.pairingPhone === '5215550001111' ? 'ABCD1234' : 'WRONG' });
    } else if (m.org === 'linked') {
      out({ op: 'open', sid, me: { jid: '5215550001111:7@s.whatsapp.net', name: 'Linked' } });
      out({ op: 'activity', sid, kind: 'decrypt_failure', contact: '5215550002222@s.whatsapp.net', detail: 'Bad MAC' });
    } else if (m.org === 'late-creds') {
      // Baileys saving creds (creds.update) as the session is being cleared
      out({ op: 'creds.write', req: 2, sid, creds: JSON.stringify({ registered: false, advSecretKey: 'c2VjcmV0' }) });
    } else if (m.org === 'conflict') {
      out({ op: 'close', sid, code: 440, message: 'Stream Errored (conflict)', errno: null });
    }
  } else if (m.op === 'send') {
    if (m.text === 'fail') {
      out({ op: 'send_failed', sid: m.sid, id: m.id, error: 'not on WhatsApp' });
    } else {
      out({ op: 'sent', sid: m.sid, id: m.id, messageId: `MSG-${m.to}` });
    }
  } else if (m.op === 'close') {
    // a late event for a closed session must be dropped by the JVM
    out({ op: 'qr', sid: m.sid, qr: '2@late' });
  } else if (m.op === 'reply' && m.req === 1) {
    out({ op: 'qr', sid: 0, qr: m.ok ? 'unknown-session-answered-ok' : 'unknown-session-refused' });
  }
});
