import type { RemoveCommand } from './cli-arguments';
import type { CliIo } from './cli-io';
import { EXIT, type ExitCode } from './exit-codes';
import { netnsAgentCommand } from './netns-agent-command';

/** What `agent remove` reports (docs/agent-protocol.md, Remove). */
const REMOVE_STATUSES = ['removed', 'unchanged', 'failed', 'refused'] as const;
type RemoveStatus = (typeof REMOVE_STATUSES)[number];

interface RemoveResult {
  readonly status: RemoveStatus;
  readonly operations: number;
  readonly error: string | null;
}

/** `eni-pbr remove`: the agent's remove mode in the namespace; everything eni-pbr installed is undone. */
export async function runRemove(command: RemoveCommand, io: CliIo): Promise<ExitCode> {
  const run = await netnsAgentCommand(command.netns).run({ instanceId: 'i-local', parameters: { Mode: 'remove', Plan: '' } });
  const result = parseRemoveOutput(run.StandardOutputContent);
  if (result === undefined) {
    io.stderr(`eni-pbr remove: the agent printed no remove result (exit ${run.ResponseCode}): ${run.StandardErrorContent.trim()}\n`);
    return EXIT.agentFailure;
  }
  io.stdout(
    command.json
      ? `${JSON.stringify(result, null, 2)}\n`
      : `eni-pbr remove (netns ${command.netns}): ${result.status}, ${result.operations} operation${result.operations === 1 ? '' : 's'}${result.error ? `: ${result.error}` : ''}\n`,
  );
  return result.status === 'removed' || result.status === 'unchanged' ? EXIT.ok : EXIT.agentFailure;
}

function parseRemoveOutput(stdout: string): RemoveResult | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { mode, result } = parsed as { mode?: unknown; result?: unknown };
  if (mode !== 'remove' || typeof result !== 'object' || result === null) return undefined;
  const { status, operations, error } = result as { status?: unknown; operations?: unknown; error?: unknown };
  if (!(REMOVE_STATUSES as readonly unknown[]).includes(status) || typeof operations !== 'number') return undefined;
  return { status: status as RemoveStatus, operations, error: typeof error === 'string' ? error : null };
}
