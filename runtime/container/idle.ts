// What a runtime that waits in the foreground gives back while it waits.
// Its work is done by then: it hands its process over to a small waiter
// where it can (handoff.ts); otherwise the code and objects it used are
// garbage, and collecting them, and giving the engine's unused memory back
// to the system, halves what the waiting process keeps of its own.
// Short-lived containers never see either: it happens only after a while.

const AFTER_MS = 100;

/** `waited`, with the runtime's memory given back if it takes a while;
 * `handOff` returns only when it could not take the process over. */
export async function releasingMemory<T>(waited: Promise<T>, handOff?: () => Promise<void>): Promise<T> {
  const timer = setTimeout(async () => {
    if (handOff) await handOff();
    Bun.gc(true);
    Bun.shrink();
  }, AFTER_MS);
  try {
    return await waited;
  } finally {
    clearTimeout(timer);
  }
}
