/**
 * Wraps a stop function so it runs exactly once, on whichever comes first: the caller's stop(), the
 * process exiting (an uncaught error, a failed test run), or SIGINT/SIGTERM/SIGHUP — after which the
 * signal is raised again so the process still dies of it.
 */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export function stopOnExit(stop: () => Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    void once().finally(() => process.kill(process.pid, signal));
  };
  // 'exit' runs synchronous code only: closing the listening socket starts there and the OS finishes it.
  const onExit = (): void => void once();
  function once(): Promise<void> {
    if (stopping === undefined) {
      for (const signal of SIGNALS) process.off(signal, onSignal);
      process.off('exit', onExit);
      stopping = stop();
    }
    return stopping;
  }
  for (const signal of SIGNALS) process.once(signal, onSignal);
  process.once('exit', onExit);
  return once;
}
