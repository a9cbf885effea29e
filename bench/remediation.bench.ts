// `npm run bench remediation` (root): builds each lab, times `lab up` and one remediation through the real
// agent in the namespace (the use case in-process: no node start-up), a second run, then the
// --manage-primary run on the same lab (the primary's full table instead of its narrow one), then removes
// the lab. Prints figures only.
import { netnsAgentCommand } from '../functions/cli/netns-agent-command';
import { fileFactsSource } from '../functions/cli/file-facts-source';
import { labDown, labUp } from '../functions/lab/lab-driver';
import { LAB_VARIANTS, uniqueLabName, type LabPreset } from '../functions/lab/lab-options';
import { DEFAULT_PLAN_OPTIONS } from '../functions/core/defaults';
import { remediateInstance } from '../functions/use-cases/remediate-instance';

const PRESETS: readonly LabPreset[] = ['ubuntu-24.04', 'bare'];

async function benchOne(preset: LabPreset, variant: (typeof LAB_VARIANTS)[number]): Promise<string> {
  const name = uniqueLabName('epb');
  const upStarted = performance.now();
  try {
    const lab = await labUp({ name, preset, variant, ifnames: 'ens' });
    const upMs = performance.now() - upStarted;
    const report = await remediateInstance(
      { instanceId: lab.instanceId },
      { facts: fileFactsSource({ enisFile: lab.enisFile, subnetsFile: lab.subnetsFile }), agent: netnsAgentCommand(lab.instanceNs) },
    );
    const again = await remediateInstance(
      { instanceId: lab.instanceId },
      { facts: fileFactsSource({ enisFile: lab.enisFile, subnetsFile: lab.subnetsFile }), agent: netnsAgentCommand(lab.instanceNs) },
    );
    const primary = await remediateInstance(
      { instanceId: lab.instanceId, planOptions: { ...DEFAULT_PLAN_OPTIONS, managePrimary: true } },
      { facts: fileFactsSource({ enisFile: lab.enisFile, subnetsFile: lab.subnetsFile }), agent: netnsAgentCommand(lab.instanceNs) },
    );
    const t = report.timings;
    const primaryCell = `${fmt(primary.timings.totalMs)}/${primary.operations.length}${primary.outcome === 'verified' ? '' : ` ${primary.outcome}`}`;
    return [preset, variant, fmt(upMs), report.outcome, String(report.operations.length), fmt(t.totalMs), fmt(t.inspectMs), fmt(t.planMs), fmt(t.applyMs), fmt(t.verifyMs), fmt(again.timings.totalMs), primaryCell]
      .map((cell, index) => cell.padEnd(index < 2 ? 17 : 9))
      .join('');
  } finally {
    await labDown(name);
  }
}

function fmt(ms: number): string {
  return `${ms.toFixed(ms < 10 ? 1 : 0)}`;
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.log('remediation bench skipped: the lab needs root');
    return;
  }
  console.log('all times in ms; "again" is the second run (inspect only, nothing to apply); "primary" is the --manage-primary run after it: total/ops');
  console.log(['preset', 'variant', 'lab up', 'outcome', 'ops', 'total', 'inspect', 'plan', 'apply', 'verify', 'again', 'primary'].map((h, i) => h.padEnd(i < 2 ? 17 : 9)).join(''));
  for (const preset of PRESETS) {
    for (const variant of LAB_VARIANTS) console.log(await benchOne(preset, variant));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
