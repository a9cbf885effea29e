import { AgentUnreachableError, AttachmentsPendingError } from './job-errors';
import type { AgentStatusPort, InstanceInterfaces, InstancePort } from './ports';

export interface Clock {
  readonly now: () => number; // ms
  readonly sleep: (ms: number) => Promise<void>;
}

export const realClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

// DescribeInstanceInformation has a low request rate; every 5 s per waiting job stays well inside it.
export const READY_POLL_MS = 5_000;

/**
 * Waits, bounded, until SSM reports the agent Online and every ENI attachment is `attached`, and returns
 * the ENIs as last read (the facts the plan is made from). `running` does not mean the agent is up,
 * and a new attachment starts `attaching`.
 */
export async function waitUntilReady(
  instanceId: string,
  deps: { readonly agentStatus: AgentStatusPort; readonly instances: Pick<InstancePort, 'readInterfaces'>; readonly clock: Clock },
  bound: { readonly waitSeconds: number; readonly pollMs?: number },
): Promise<InstanceInterfaces> {
  const deadline = deps.clock.now() + bound.waitSeconds * 1000;
  for (;;) {
    const ping = await deps.agentStatus.pingStatus(instanceId);
    if (ping === 'Online') {
      const snapshot = await deps.instances.readInterfaces(instanceId);
      const pending = snapshot.interfaces.filter((eni) => eni.attachmentStatus !== 'attached').map((eni) => `${eni.eniId} ${eni.attachmentStatus}`);
      if (pending.length === 0) return snapshot;
      if (deps.clock.now() >= deadline) throw new AttachmentsPendingError(instanceId, pending, bound.waitSeconds);
    } else if (deps.clock.now() >= deadline) {
      throw new AgentUnreachableError(instanceId, ping, bound.waitSeconds);
    }
    await deps.clock.sleep(Math.min(bound.pollMs ?? READY_POLL_MS, Math.max(0, deadline - deps.clock.now())) || 1);
  }
}
