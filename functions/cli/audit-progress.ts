import { Presets, SingleBar } from 'cli-progress';
import type { AuditPhase, AuditProgressListener } from '../service/audit/audit-ports';

const LABEL: Record<AuditPhase, string> = { targets: 'selecting', sent: 'sending inspect', completed: 'waiting', read: 'reading', judged: 'judged' };

/** A progress bar on stderr while the audit runs, only on a terminal (nothing in pipes, logs or CI). */
export function auditProgress(enabled: boolean): { update: AuditProgressListener; stop: () => void } {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({ format: 'audit |{bar}| {value}/{total} instances {phase}', stream: process.stderr, clearOnComplete: true, hideCursor: true }, Presets.shades_classic);
  let started = false;
  let stopped = false;
  return {
    update: (phase, done, total) => {
      if (stopped) return;
      if (!started) {
        bar.start(total, 0, { phase: LABEL[phase] });
        started = true;
      }
      bar.setTotal(total);
      bar.update(phase === 'judged' ? done : bar.getProgress() * total, { phase: LABEL[phase] });
    },
    stop: () => {
      if (started && !stopped) bar.stop();
      stopped = true;
    },
  };
}
