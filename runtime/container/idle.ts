// What a runtime that waits in the foreground (run, exec) gives back while
// it waits. Its work is done by then: the code and objects it used are
// garbage, and collecting them, and giving the engine's unused memory back
// to the system, halves what the waiting process keeps of its own.
// Short-lived containers never see it: it happens only after a while.

const AFTER_MS = 100;

/** `waited`, with the runtime's memory given back if it takes a while. */
export async function releasingMemory<T>(waited: Promise<T>): Promise<T> {
  const timer = setTimeout(() => {
    Bun.gc(true);
    Bun.shrink();
  }, AFTER_MS);
  try {
    return await waited;
  } finally {
    clearTimeout(timer);
  }
}
