// The official Vert.x bridge client over SockJS, as a machine client of Vigía runs it.
// usage: node subscribe.cjs <url, e.g. http://127.0.0.1:8080/eventbus?ticket=…> <address>...
// SOCKJS_TRANSPORTS=xhr-streaming forces a transport. Prints one JSON line per event on stdout.
const EventBus = require('@vertx/eventbus-bridge-client.js');

const [url, ...addresses] = process.argv.slice(2);
const transports = process.env.SOCKJS_TRANSPORTS ? process.env.SOCKJS_TRANSPORTS.split(',') : undefined;
const out = (line) => process.stdout.write(JSON.stringify(line) + '\n');

const eb = new EventBus(url, transports ? { transports } : {});
eb.onopen = () => {
  out({ event: 'open' });
  for (const address of addresses) {
    eb.registerHandler(address, (err, msg) => {
      if (err) out({ event: 'refused', address, err });
      else out({ event: 'message', address, body: msg.body });
    });
  }
};
eb.onerror = (err) => out({ event: 'error', err });
eb.onclose = () => {
  out({ event: 'close' });
  process.exit(0);
};
// bounded: the test stops this process; never run forever
setTimeout(() => process.exit(3), 60_000).unref();
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
