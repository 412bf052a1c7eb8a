// Test preload (node --import): this process has no network beyond 127.0.0.1. Every other host
// name fails its lookup the way getaddrinfo does on a machine without DNS (ENOTFOUND), so a test
// of Baileys' default URL (wss://web.whatsapp.com) gives the same answer on every machine and
// never reaches WhatsApp. Only tests load this file; it is not part of the engine.
import dns from 'node:dns';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1']);
const lookup = dns.lookup;

dns.lookup = function offlineLookup(hostname, options, callback) {
  if (LOOPBACK.has(hostname)) {
    return lookup.call(dns, hostname, options, callback);
  }
  const done = typeof options === 'function' ? options : callback;
  process.stderr.write(`offline preload: refused the lookup of ${hostname}\n`);
  const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
    code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo', hostname,
  });
  process.nextTick(() => done(error));
  return {};
};
