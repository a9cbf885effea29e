import { decodeRemoveOutput } from '../agent-protocol/decode-remove-output';
import type { RemoveCommand } from './cli-arguments';
import type { CliIo } from './cli-io';
import { EXIT, type ExitCode } from './exit-codes';
import { netnsAgentCommand } from './netns-agent-command';

/** `eni-pbr remove`: the agent's remove mode in the namespace; everything eni-pbr installed is undone. */
export async function runRemove(command: RemoveCommand, io: CliIo): Promise<ExitCode> {
  const run = await netnsAgentCommand(command.netns).run({ instanceId: 'i-local', parameters: { Mode: 'remove', Plan: '' } });
  const result = decodeRemoveOutput(run.StandardOutputContent);
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
