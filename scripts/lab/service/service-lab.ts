// `npm run lab -- --service [--preset bare|ubuntu-24.04] [--ifnames eth|enX|ens] [--name N]`: the packaged
// service (serverless package zips + CloudFormation) fixes the lab's instance from CloudTrail events,
// through the local AWS endpoint (scripts/lab/aws-endpoint). Removes the lab at the end, on every path.
import { failingCells } from '../../../functions/lab/lab-matrix';
import type { IfnameScheme, LabPreset } from '../../../functions/lab/lab-options';
import { stopOnExit } from '../aws-endpoint/stop-on-exit';
import { changedParts } from './host-snapshot';
import { LAB_OVERRIDES, startServiceSession } from './service-session';
import { runServiceStory } from './service-story';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : (process.argv[index + 1] ?? fallback);
}

async function main(): Promise<number> {
  const name = option('--name', 'eplabsvc');
  const preset = option('--preset', 'ubuntu-24.04') as LabPreset;
  const ifnames = option('--ifnames', 'eth') as IfnameScheme;
  console.log('packaging the service (npx serverless package, reused while its inputs are unchanged) and building the lab…');
  const session = await startServiceSession({ name, preset, variant: 'base', ifnames });
  const stop = stopOnExit(session.stop);
  try {
    const { deployment } = session.harness;
    console.log(`lab ${name} up in ${Math.round(session.upMs)} ms: ${preset}, the instance ${session.lab.instanceId} boots with one ENI`);
    console.log(`package: ${session.packageSeconds === undefined ? 'reused' : `${session.packageSeconds.toFixed(1)} s`}; local AWS endpoint ${session.endpoint.url} (loopback only; no IAM, no signatures, no real delays)`);
    console.log(`functions from their zips under Node 22: ${deployment.functions.map((fn) => `${fn.key} (timeout ${fn.timeoutSeconds} s)`).join(', ')}`);
    console.log(`rules: ${deployment.rules.map((rule) => `${rule.name} → ${rule.functionKey}`).join(', ')}`);
    console.log(`queue: ${deployment.mappings.map((m) => `${m.queueName} → ${m.functionKey} (batch ${m.batchSize}${m.reportBatchItemFailures ? ', ReportBatchItemFailures' : ''})`).join(', ')}`);
    console.log(
      `shortened for the lab (deployed value in brackets): settle delay ${LAB_OVERRIDES.settleDelaySeconds} s [30 s], visibility timeout ${LAB_OVERRIDES.visibilityTimeoutSeconds} s [2520 s], agent wait ${LAB_OVERRIDES.environment.ENI_PBR_AGENT_WAIT_SECONDS} s [60 s]`,
    );
    console.log();
    const story = await runServiceStory(session, (line = '') => console.log(line));
    console.log();
    const times = [story.attach, story.assign, story.detach].map((s) => (s.eventToResultMs === undefined ? 'none' : `${(s.eventToResultMs / 1000).toFixed(1)} s`));
    console.log(`event → verified: attach ${times[0]}, assign ${times[1]}, detach ${times[2]}`);
    const left = failingCells(story.assign.matrix);
    if (left.length > 0) console.log(`still failing after assign: ${left.join(', ')}`);
    const fixed = [story.attach, story.assign, story.detach].every((s) => s.result?.outcome === 'remediated') && left.length === 0 && failingCells(story.attach.matrix).length === 0;
    const offlineKept = story.offline.deadLetters === 1 && changedParts(story.offline.hostBefore, story.offline.hostAfter).length === 0;
    console.log(`${fixed ? 'attach, assign and detach remediated and verified, every cell passing' : 'a step was NOT remediated, or a cell fails'}; ${offlineKept ? 'the offline job is in the DLQ, the host unchanged' : 'the offline case did NOT end as expected'}`);
    return fixed && offlineKept ? 0 : 1;
  } finally {
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`npm run lab -- --service: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
