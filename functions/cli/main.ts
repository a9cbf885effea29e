import { parseCliArguments } from './cli-arguments';
import { processIo, type CliIo } from './cli-io';
import { describeError, exitCodeOf } from './exit-code-of';
import { EXIT, type ExitCode } from './exit-codes';
import { runAudit } from './run-audit';
import { runInspectCommand } from './run-inspect';
import { runRemediate } from './run-remediate';
import { runRemove } from './run-remove';
import { USAGE } from './usage';

/** `eni-pbr <command> …` → an exit code; every error is reported once, here. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<ExitCode> {
  try {
    const command = parseCliArguments(argv);
    if (command.command === 'help') {
      io.stdout(USAGE);
      return EXIT.ok;
    }
    if (command.command === 'audit') return await runAudit(command, io);
    if (command.command === 'remove') return await runRemove(command, io);
    return command.command === 'remediate' ? await runRemediate(command, io) : await runInspectCommand(command, io);
  } catch (error) {
    const code = exitCodeOf(error);
    io.stderr(describeError(error));
    if (code === EXIT.usage) io.stderr(USAGE);
    return code;
  }
}
