// The loopback WhatsApp (tests only): a WhatsApp Web server on 127.0.0.1 for the unmodified
// Baileys, with a control API. `node server/main.mjs [--port N] [--refs N]`; it prints one JSON line
// on stdout once listening: {"port": N, "rootPublicKey": "<hex>"} (the certificate root Baileys
// must trust: see preload/test-root.mjs). It stops when its standard input closes.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { Curve } from '@whiskeysockets/baileys';
import { makeCertificates } from './certificates.mjs';
import { Connection } from './connection.mjs';
import { handleControl } from './control.mjs';
import { World } from './world.mjs';
import { log } from './log.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};

const world = new World({ refs: Number(arg('refs', 6)) });
const staticKeyPair = Curve.generateKeyPair();
const { rootPublicKey, chain } = makeCertificates(staticKeyPair);
const sockets = new WebSocketServer({ noServer: true });

const http = createServer((req, res) => {
  if (req.url.startsWith('/control/')) {
    handleControl(world, req, res);
  } else {
    res.writeHead(404).end();
  }
});
http.on('upgrade', (req, socket, head) => {
  if (new URL(req.url, 'http://loopback').pathname !== '/ws/chat') {
    socket.destroy();
    return;
  }
  sockets.handleUpgrade(req, socket, head, (ws) => new Connection(ws, world, { staticKeyPair, certificateChain: chain }));
});
http.listen(Number(arg('port', 0)), '127.0.0.1', () => {
  const { port } = http.address();
  log(`listening on 127.0.0.1:${port}`);
  process.stdout.write(`${JSON.stringify({ port, rootPublicKey: rootPublicKey.toString('hex') })}\n`);
});

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('uncaughtException', (e) => log(`uncaught: ${e.stack}`));
process.on('unhandledRejection', (e) => log(`unhandled: ${e?.stack ?? e}`));
