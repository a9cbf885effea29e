import { InvalidCommandTargetsError, type FleetSsmPort } from './audit-ports';
import { chunksOf, mapBounded } from './bounded-parallel';

/** SendCommand's InstanceIds limit. */
export const SEND_COMMAND_MAX_INSTANCES = 50;

export interface SentBatch {
  readonly commandId: string;
  readonly instanceIds: readonly string[];
}

export interface SendOutcome {
  readonly sent: readonly SentBatch[];
  /** instanceId → why no command reached it */
  readonly notSent: ReadonlyMap<string, string>;
}

/**
 * Mode=inspect to every instance, 50 per SendCommand, a few calls in flight. One instance that left
 * between DescribeInstanceInformation and SendCommand (InvalidInstanceId) fails its whole batch: the
 * batch is halved and resent, so the other 49 are still audited and the culprit is named alone.
 */
export async function sendInspectBatches(instanceIds: readonly string[], ssm: FleetSsmPort, concurrency: number, onSent?: (count: number) => void): Promise<SendOutcome> {
  const sent: SentBatch[] = [];
  const notSent = new Map<string, string>();
  async function send(batch: readonly string[]): Promise<void> {
    try {
      sent.push({ commandId: await ssm.sendInspect(batch), instanceIds: batch });
      onSent?.(batch.length);
    } catch (error) {
      if (error instanceof InvalidCommandTargetsError && batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        await send(batch.slice(0, half));
        await send(batch.slice(half));
        return;
      }
      const reason = `inspect command not sent: ${describe(error)}`;
      for (const instanceId of batch) notSent.set(instanceId, reason);
      onSent?.(batch.length);
    }
  }
  await mapBounded(chunksOf(instanceIds, SEND_COMMAND_MAX_INSTANCES), concurrency, send);
  return { sent, notSent };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
