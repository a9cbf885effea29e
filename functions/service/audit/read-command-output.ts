import type { CommandOutputReader, FleetSsmPort, InvocationStatus } from './audit-ports';
import type { SentBatch } from './send-inspect-batches';
import type { LoggerPort } from '../../use-cases/ports';

export interface CommandReadout {
  /** instanceId → the inspect stdout */
  readonly stdout: ReadonlyMap<string, string>;
  /** instanceId → why there is none */
  readonly failed: ReadonlyMap<string, string>;
  /** how many outputs came through GetCommandInvocation, one call each (the expensive path) */
  readonly fallbackReads: number;
}

export interface ReadDeps {
  readonly ssm: FleetSsmPort;
  readonly output: CommandOutputReader;
  readonly logger: LoggerPort;
}

/**
 * One command's outputs, from CloudWatch Logs (one FilterLogEvents page holds 50 inspect documents). Only
 * when some are missing: ListCommandInvocations says why (Failed, TimedOut, Undeliverable, …), and an
 * invocation that succeeded without output in the logs is read with GetCommandInvocation. No second look
 * in the logs first: the SSM Agent finishes its upload before it reports the status (fileS3.go), so a
 * missing stream is a missing permission far more often than a lag, and one GetCommandInvocation settles it.
 */
export async function readCommandOutput(batch: SentBatch, finished: boolean, deps: ReadDeps): Promise<CommandReadout> {
  const stdout = new Map(await readLogs(batch.commandId, batch.instanceIds, deps));
  const failed = new Map<string, string>();
  let fallbackReads = 0;
  if (stdout.size === batch.instanceIds.length) return { stdout, failed, fallbackReads };

  const statuses = await listStatuses(batch, deps);
  const succeededWithoutOutput: string[] = [];
  for (const instanceId of batch.instanceIds) {
    if (stdout.has(instanceId)) continue;
    const status = statuses.get(instanceId);
    if (status?.status === 'Success') succeededWithoutOutput.push(instanceId);
    else failed.set(instanceId, reasonOf(status, finished));
  }
  if (succeededWithoutOutput.length === 0) return { stdout, failed, fallbackReads };

  for (const instanceId of succeededWithoutOutput) {
    fallbackReads += 1;
    try {
      const invocation = await deps.ssm.getInvocationOutput(batch.commandId, instanceId);
      if (invocation.stdout === '') failed.set(instanceId, 'the inspect command succeeded but printed nothing');
      else stdout.set(instanceId, invocation.stdout);
    } catch (error) {
      failed.set(instanceId, `the inspect output could not be read: ${error instanceof Error ? error.name : String(error)}`);
    }
  }
  if (fallbackReads > 0) {
    // The usual cause: the instance profile may not write to the command log group.
    deps.logger.warn('inspect output missing from CloudWatch Logs', { commandId: batch.commandId, fallbackReads });
  }
  return { stdout, failed, fallbackReads };
}

async function readLogs(commandId: string, instanceIds: readonly string[], deps: ReadDeps): Promise<ReadonlyMap<string, string>> {
  try {
    return await deps.output.readStdout(commandId, instanceIds);
  } catch (error) {
    deps.logger.warn('command output read failed', { commandId, error: error instanceof Error ? error.name : String(error) });
    return new Map();
  }
}

async function listStatuses(batch: SentBatch, deps: ReadDeps): Promise<ReadonlyMap<string, InvocationStatus>> {
  try {
    return new Map((await deps.ssm.listInvocations(batch.commandId)).map((invocation) => [invocation.instanceId, invocation]));
  } catch (error) {
    deps.logger.warn('invocation list failed', { commandId: batch.commandId, error: error instanceof Error ? error.name : String(error) });
    return new Map();
  }
}

function reasonOf(status: InvocationStatus | undefined, finished: boolean): string {
  if (status === undefined) return finished ? 'no inspect output and no invocation status' : 'inspect still running when the audit stopped waiting';
  const details = status.statusDetails !== undefined && status.statusDetails !== status.status ? ` (${status.statusDetails})` : '';
  const code = status.responseCode !== undefined && status.responseCode >= 0 && status.status === 'Failed' ? `, exit ${status.responseCode}` : '';
  return `inspect command ${status.status}${details}${code}`;
}
