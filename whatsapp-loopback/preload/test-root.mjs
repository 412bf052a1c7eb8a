// Test preload (node --import): makes the Baileys that the bridge loads trust the loopback
// WhatsApp's certificate root instead of WhatsApp's own. Only tests load this file (through a
// VIGIA_NODE wrapper they write); it is not in the jar and no configuration names it.
//
// It fails loudly rather than silently doing nothing: if a Baileys upgrade moves or renames
// WA_CERT_DETAILS, the process exits here and every loopback test fails at its first start.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = process.env.LOOPBACK_ROOT_PUBLIC_KEY ?? '';
if (!/^[0-9a-f]{64}$/.test(root)) {
  throw new Error('test-root preload: LOOPBACK_ROOT_PUBLIC_KEY must be the loopback root key (64 hex digits)');
}
// the Baileys the main script will import: resolved from the script's folder, so the preload
// patches that very module instance (the engine's node_modules, not the loopback's)
const main = resolve(process.argv[1] ?? 'engine.mjs');
const entry = createRequire(main).resolve('@whiskeysockets/baileys');
const baileys = await import(pathToFileURL(entry).href);
const details = baileys.WA_CERT_DETAILS;
if (!details || !Buffer.isBuffer(details.PUBLIC_KEY) || details.PUBLIC_KEY.length !== 32 || details.SERIAL !== 0) {
  throw new Error(`test-root preload: ${entry} no longer exports WA_CERT_DETAILS { SERIAL: 0, PUBLIC_KEY: <32 bytes> }; the loopback cannot stand in for WhatsApp with this Baileys`);
}
details.PUBLIC_KEY = Buffer.from(root, 'hex');
process.stderr.write('test-root preload: Baileys now trusts the loopback certificate root\n');
