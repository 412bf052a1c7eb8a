// Faults a test asks for, applied to every live connection of an account's linked devices, as
// WhatsApp would cause them. Some also change what WhatsApp does at the next login (a logged-out
// device stays out, a banned account stays banned) until a test clears them.
const KINDS = {
  conflict: (c) => c.conflict(), // 440
  logged_out: (c) => { c.companion.removed = true; c.failure(401); },
  banned: (c) => { c.companion.account.refusal = 403; c.failure(403); },
  banned_402: (c) => { c.companion.account.refusal = 402; c.failure(402); },
  outdated: (c) => { c.companion.account.refusal = 405; c.failure(405); },
  bad_session: (c) => c.streamError(500),
  unavailable: (c) => c.streamError(503),
  restart_required: (c) => c.streamError(515),
  dropped: (c) => c.drop(), // 428 at the client
  stalled: (c) => c.stall(), // 408 at the client, after its keep-alive interval
};

export const FAULT_KINDS = Object.keys(KINDS);

/** @returns the jids of the connections the fault hit */
export function applyFault(account, kind) {
  const fault = KINDS[kind];
  if (!fault) {
    throw Object.assign(new Error(`unknown fault "${kind}"; one of ${FAULT_KINDS.join(', ')}`), { status: 400 });
  }
  const live = account.liveCompanions().map((c) => c.connection).filter((c) => c && !c.closed);
  if (live.length === 0) {
    throw Object.assign(new Error(`no linked device of ${account.user} is online`), { status: 409 });
  }
  for (const connection of live) fault(connection);
  return live.map((c) => c.companion.jid);
}
