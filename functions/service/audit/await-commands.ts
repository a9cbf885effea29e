import type { AuditClock, CommandProgress, FleetSsmPort } from './audit-ports';
import type { LoggerPort } from '../../use-cases/ports';

const TERMINAL = new Set(['Success', 'Failed', 'TimedOut', 'Cancelled']);
const POLL_BACKOFF = 1.5;
const MAX_POLL_INTERVAL_MS = 10_000;

export interface AwaitSettings {
  /** the first poll's delay; each next one is 1.5 × longer, up to MAX_POLL_INTERVAL_MS */
  readonly pollIntervalMs: number;
  /** give up waiting after this long: a command still running then is read as it stands */
  readonly waitBudgetMs: number;
}

/**
 * Polls ListCommands — one call per round for every batch, filtered by the document and the audit's start
 * — and hands each command to `onDone` as soon as it ends, so reading overlaps waiting. A throttled or
 * failed poll is only a lost round. Resolves when every command ended or the budget is spent; the commands
 * still running then are handed over with `timedOut`.
 */
export async function awaitCommands(
  commandIds: readonly string[],
  since: Date,
  deps: { readonly ssm: FleetSsmPort; readonly clock: AuditClock; readonly logger: LoggerPort },
  settings: AwaitSettings,
  onDone: (commandId: string, progress: CommandProgress | undefined) => Promise<void>,
): Promise<void> {
  const pending = new Set(commandIds);
  const deadline = deps.clock.now() + settings.waitBudgetMs;
  const handovers: Promise<void>[] = [];
  let interval = settings.pollIntervalMs;
  while (pending.size > 0 && deps.clock.now() < deadline) {
    await deps.clock.sleep(Math.min(interval, Math.max(0, deadline - deps.clock.now())));
    interval = Math.min(MAX_POLL_INTERVAL_MS, Math.max(interval, interval * POLL_BACKOFF));
    let listed: readonly CommandProgress[];
    try {
      listed = await deps.ssm.listCommandProgress(since);
    } catch (error) {
      deps.logger.warn('command poll failed', { error: error instanceof Error ? error.name : String(error), pending: pending.size });
      continue;
    }
    for (const progress of listed) {
      if (!pending.has(progress.commandId) || !TERMINAL.has(progress.status)) continue;
      pending.delete(progress.commandId);
      handovers.push(onDone(progress.commandId, progress));
    }
  }
  if (pending.size > 0) deps.logger.warn('commands still running at the wait budget', { commands: pending.size, waitBudgetMs: settings.waitBudgetMs });
  for (const commandId of pending) handovers.push(onDone(commandId, undefined));
  await Promise.all(handovers);
}
