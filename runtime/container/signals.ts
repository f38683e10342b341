// Signals a foreground `run` or `exec` passes on to the container process
// (SIGWINCH is not one: the terminal relay turns it into a resize).
// (native/wait.c forwards the same ones after a hand-off.)
const FORWARDED: Record<string, number> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGUSR1: 10, SIGUSR2: 12, SIGTERM: 15,
};

/** Their numbers. */
export function forwardedSignals(): number[] {
  return Object.values(FORWARDED);
}

/** Forward until the returned function is called. */
export function forwardSignals(send: (signal: number) => void): () => void {
  const handlers = Object.entries(FORWARDED).map(([name, num]) => {
    const h = () => send(num);
    process.on(name as NodeJS.Signals, h);
    return [name, h] as const;
  });
  return () => {
    for (const [name, h] of handlers) process.off(name as NodeJS.Signals, h);
  };
}
