import { parseInspectDocument } from '../core/observed/parse-inspect-document';
import { runInspect } from '../use-cases/run-agent-step';
import type { InspectCommand } from './cli-arguments';
import type { CliIo } from './cli-io';
import { EXIT, type ExitCode } from './exit-codes';
import { netnsAgentCommand } from './netns-agent-command';
import { renderObserved } from './render-observed';

/** `eni-pbr inspect`: one inspect round trip, printed parsed (readable or JSON) or raw. */
export async function runInspectCommand(command: InspectCommand, io: CliIo): Promise<ExitCode> {
  const document = await runInspect(netnsAgentCommand(command.netns), 'i-local');
  if (command.raw) {
    io.stdout(`${JSON.stringify(document, null, 2)}\n`);
    return EXIT.ok;
  }
  const host = parseInspectDocument(document);
  io.stdout(command.json ? `${JSON.stringify(host, null, 2)}\n` : renderObserved(host, command.netns));
  return EXIT.ok;
}
