import { describeFinding, describeOperation } from '../core/report/summarize-plan';
import type { RemediationReport } from '../use-cases/remediation-report';

const OUTCOME_LINES: Record<RemediationReport['outcome'], string> = {
  verified: 'verified: a re-plan of the state after apply is empty',
  'drift-left': 'DRIFT LEFT: after apply, a re-plan still wants the operations below',
  'dry-run-clean': 'dry run: nothing is missing',
  'dry-run-pending': 'dry run: changes are pending (exit 1)',
  'stale-plan': 'STALE: eni-pbr’s state on the host changed after it was inspected; nothing was applied — run again (exit 5)',
};

/** The readable report: what was found, what others already satisfy, what changed, whether it verified. */
export function renderReport(report: RemediationReport, netns: string): string {
  const out: string[] = [];
  out.push(`eni-pbr remediate ${report.instanceId} (host ${report.hostname}, netns ${netns})`);
  for (const eni of report.enis) {
    out.push(`  ${eni.eniId}  ${eni.mac}  card ${eni.networkCardIndex} device ${eni.deviceIndex}`);
  }
  for (const eni of report.excluded) out.push(`  ${eni.eniId}  excluded: ${eni.reason} (${eni.detail})`);

  // In words (the core's summary) what is missing and what others already do; then the exact lines the agent got.
  const satisfied = report.findings.filter((f) => f.kind === 'satisfied-by-other');
  const noticed = report.findings.filter((f) => f.kind !== 'satisfied-by-other');
  section(out, 'found missing', report.operations.map(describeOperation));
  section(out, 'already satisfied by others', satisfied.map(describeFinding));
  if (noticed.length > 0) section(out, 'also noticed', noticed.map(describeFinding));

  const lines = report.planText.split('\n').slice(1).filter((line) => line !== '');
  if (report.dryRun) section(out, `would send (${lines.length} plan lines, nothing changed)`, lines);
  else if (report.applied === null) section(out, 'changed', []);
  else section(out, `changed (${report.applied.operations} operations, agent: ${report.applied.status})`, lines);

  const nothingSent = report.outcome === 'verified' && report.applied === null;
  out.push('', nothingSent ? 'verified: nothing was missing, nothing was sent' : OUTCOME_LINES[report.outcome]);
  if (report.outcome === 'drift-left') {
    for (const op of report.remaining) out.push(`  ${describeOperation(op)}`);
    for (const finding of report.remainingFindings) out.push(`  ${describeFinding(finding)}`);
  }
  const t = report.timings;
  out.push(
    `took ${ms(t.totalMs)} (facts ${ms(t.factsMs)}, inspect ${ms(t.inspectMs)}, plan ${ms(t.planMs)}, apply ${ms(t.applyMs)}, verify ${ms(t.verifyMs)}), ${report.commandRoundTrips} command round trip${report.commandRoundTrips === 1 ? '' : 's'}`,
  );
  return `${out.join('\n')}\n`;
}

function section(out: string[], title: string, lines: readonly string[]): void {
  out.push('', `${title}:`);
  if (lines.length === 0) out.push('  (none)');
  for (const line of lines) out.push(`  ${line}`);
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}
