// `npm run bench service` (root): the service's time per event on the lab — CloudTrail event → intake →
// FIFO queue → remediate → SSM (emulated: the template's document run in the namespace) → result
// published — beside the CLI's pipeline for the same kind of change on the same lab (an address
// assigned in EC2, configured by eni-pbr). Warm sandboxes (the first, cold event is printed apart);
// the queue's settle delay is the lab's 1 s and is part of the service's figure. Prints figures only.
import { AssignPrivateIpAddressesCommand, AttachNetworkInterfaceCommand } from '@aws-sdk/client-ec2';
import { fileFactsSource } from '../functions/cli/file-facts-source';
import { netnsAgentCommand } from '../functions/cli/netns-agent-command';
import { uniqueLabName } from '../functions/lab/lab-options';
import { remediateInstance } from '../functions/use-cases/remediate-instance';
import { LAB_OVERRIDES, startServiceSession, type ServiceSession } from '../scripts/lab/service/service-session';
import { SECONDARY_ENI } from '../scripts/lab/service/service-story';
import { driveStep, type StepOutcome } from '../scripts/lab/service/service-step';

const ROUNDS = 3;

interface Breakdown {
  readonly total: number;
  readonly intake: number;
  readonly queue: number;
  readonly remediate: number;
}

function breakdown(step: StepOutcome): Breakdown {
  const intake = step.invocations.find((invocation) => invocation.functionKey === 'intake');
  const remediate = step.invocations.find((invocation) => invocation.functionKey === 'remediate');
  if (intake === undefined || remediate === undefined || step.resultAt === undefined) throw new Error('the event did not go through intake and remediate');
  return { total: step.resultAt - step.cloudTrailAt, intake: intake.endedAt - intake.startedAt, queue: remediate.startedAt - intake.endedAt, remediate: remediate.endedAt - remediate.startedAt };
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
// queue = from intake's end to remediate's start; the settle delay runs from SendMessage, inside intake.
const fmt = (b: Breakdown) => `${Math.round(b.total)} ms = intake ${Math.round(b.intake)} + queue ${Math.round(b.queue)} + remediate ${Math.round(b.remediate)} (+ delivery between them)`;

async function cliRound(session: ServiceSession, ip: string): Promise<number> {
  // Straight on the EC2 state (no API call, so no CloudTrail event and no service run): the same change for the CLI.
  await session.endpoint.ec2.assign(SECONDARY_ENI, [ip], 1);
  const started = performance.now();
  const report = await remediateInstance(
    { instanceId: session.lab.instanceId },
    { facts: fileFactsSource({ enisFile: session.lab.enisFile, subnetsFile: session.lab.subnetsFile }), agent: netnsAgentCommand(session.lab.instanceNs) },
  );
  if (report.outcome !== 'verified') throw new Error(`CLI pipeline: ${report.outcome}`);
  return performance.now() - started;
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.log('service-path bench skipped: the lab needs root');
    return;
  }
  const session = await startServiceSession({ name: uniqueLabName('epsb'), preset: 'ubuntu-24.04', variant: 'base', ifnames: 'eth' });
  try {
    const { ec2, lab } = session;
    const cold = breakdown(await driveStep(session, () => ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: SECONDARY_ENI, InstanceId: lab.instanceId, DeviceIndex: 1 }))));
    const service: Breakdown[] = [];
    const cli: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      service.push(breakdown(await driveStep(session, () => ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: SECONDARY_ENI, PrivateIpAddresses: [`10.0.3.${161 + round}`] })))));
      cli.push(await cliRound(session, `10.0.3.${171 + round}`));
    }
    const warm = { total: median(service.map((b) => b.total)), intake: median(service.map((b) => b.intake)), queue: median(service.map((b) => b.queue)), remediate: median(service.map((b) => b.remediate)) };
    console.log(`service path per event (packaged zips, Node 22, SSM emulated; settle delay ${LAB_OVERRIDES.settleDelaySeconds} s inside "queue"):`);
    console.log(`  first event (attach, cold sandboxes): ${fmt(cold)}`);
    console.log(`  warm, median of ${ROUNDS} assigns:       ${fmt(warm)}`);
    console.log(`  without the settle delay:            ${Math.round(warm.total - LAB_OVERRIDES.settleDelaySeconds * 1000)} ms`);
    console.log(`CLI pipeline for the same change (in-process, facts from files, agent via ip netns exec): median ${Math.round(median(cli))} ms`);
    console.log(`ratio service (without settle delay) / CLI: ${((warm.total - LAB_OVERRIDES.settleDelaySeconds * 1000) / median(cli)).toFixed(1)}x`);
  } finally {
    await session.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
