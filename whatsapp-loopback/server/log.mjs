// One line per event on stderr: the Java tests copy these lines into their own log.
export function log(text) {
  process.stderr.write(`loopback: ${text}\n`);
}
