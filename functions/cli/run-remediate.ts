import { remediateInstance } from '../use-cases/remediate-instance';
import type { RemediateCommand } from './cli-arguments';
import { EXIT, type ExitCode } from './exit-codes';
import { assertAttachedTo, fileFactsSource, readAnswers, soleInstanceId } from './file-facts-source';
import { netnsAgentCommand } from './netns-agent-command';
import { renderReport } from './render-report';
import { stderrLogger } from './stderr-logger';
import type { CliIo } from './cli-io';

/** `eni-pbr remediate`: the use case with file facts and the namespace runner plugged in. */
export async function runRemediate(command: RemediateCommand, io: CliIo): Promise<ExitCode> {
  const files = { enisFile: command.enisFile, subnetsFile: command.subnetsFile };
  const answers = await readAnswers(files);
  const instanceId = command.instanceId ?? soleInstanceId(answers.describeNetworkInterfaces);
  assertAttachedTo(answers.describeNetworkInterfaces, instanceId);
  const report = await remediateInstance(
    { instanceId, dryRun: command.dryRun, planOptions: command.planOptions },
    { facts: fileFactsSource(files), agent: netnsAgentCommand(command.netns), logger: stderrLogger(command.verbose, io.stderr) },
  );
  io.stdout(command.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report, command.netns));
  if (report.outcome === 'stale-plan') return EXIT.stale;
  return report.outcome === 'verified' || report.outcome === 'dry-run-clean' ? EXIT.ok : EXIT.driftLeft;
}
