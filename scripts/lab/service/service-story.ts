import { AssignPrivateIpAddressesCommand, AttachNetworkInterfaceCommand, CreateTagsCommand, DetachNetworkInterfaceCommand } from '@aws-sdk/client-ec2';
import { probeMatrixTsv, renderMatrix } from '../../../functions/lab/lab-driver';
import { parseMatrix, type MatrixRow } from '../../../functions/lab/lab-matrix';
import { callsByFunction, condenseInvocation } from './condense-logs';
import { changedParts, foreignLines, ownedLines, ownNftTable, snapshotHost, type HostSnapshot } from './host-snapshot';
import type { ServiceSession } from './service-session';
import { driveStep, type StepOutcome } from './service-step';

export const PRIMARY_ENI = 'eni-0e1ab000000000001';
export const SECONDARY_ENI = 'eni-0e1ab000000000002';
/** assigned to eth1 in EC2 in step 2: eni-pbr must configure it on the host */
export const ASSIGNED_IP = '10.0.3.160';
/** assigned to eth0 in the failure case, while the agent is offline: nothing may change */
export const OFFLINE_IP = '10.0.1.50';

export interface StepReport extends StepOutcome {
  readonly matrix: readonly MatrixRow[];
  readonly eventToResultMs?: number;
}

export interface StoryResult {
  readonly before: readonly MatrixRow[];
  readonly attach: StepReport;
  readonly assign: StepReport;
  readonly detach: StepReport & { readonly hostBefore: HostSnapshot; readonly hostAfter: HostSnapshot; readonly nftAfter: string };
  readonly offline: StepReport & { readonly hostBefore: HostSnapshot; readonly hostAfter: HostSnapshot; readonly deadLetters: number };
  readonly optOut: StepReport & { readonly hostBefore: HostSnapshot; readonly hostAfter: HostSnapshot; readonly nftAfter: string };
}

type Print = (line?: string) => void;

async function matrix(session: ServiceSession, print: Print): Promise<MatrixRow[]> {
  const tsv = await probeMatrixTsv(session.lab.name);
  print((await renderMatrix(session.lab.name, tsv)).trimEnd());
  return parseMatrix(tsv);
}

function printStep(session: ServiceSession, outcome: StepOutcome, print: Print): number | undefined {
  const detail = outcome.cloudTrail.detail;
  print(`CloudTrail → EventBridge (default bus): "${outcome.cloudTrail['detail-type']}" ${String(detail.eventName)}, eventID ${String(detail.eventID)}`);
  print('Lambda logs (Powertools JSON, condensed):');
  for (const invocation of outcome.invocations) condenseInvocation(invocation).forEach((line) => print(line));
  const keys = session.harness.deployment.functions.map((fn) => fn.key);
  for (const [key, calls] of callsByFunction(outcome.calls, keys)) print(`  ${key} called ${calls.join(', ')}`);
  const result = outcome.result;
  const elapsed = outcome.resultAt === undefined ? undefined : outcome.resultAt - outcome.cloudTrailAt;
  if (result !== undefined && elapsed !== undefined) {
    print(`result (ENI PBR Remediation Result): ${String(result.outcome)}, ${String(result.operations ?? 0)} operations${result.error ? `, ${String(result.error)}` : ''}`);
    print(`event → ${result.outcome === 'remediated' || result.outcome === 'compliant' ? 'verified' : String(result.outcome)}: ${(elapsed / 1000).toFixed(1)} s (the lab's 1 s settle delay included)`);
    const removal = result.removal as { status?: string; operations?: number } | null | undefined;
    if (removal) print(`agent remove: ${String(removal.status)}, ${String(removal.operations)} operations`);
  }
  return elapsed;
}

async function step(session: ServiceSession, print: Print, title: string, change: () => Promise<unknown>): Promise<StepReport> {
  print();
  print(`== ${title}`);
  const outcome = await driveStep(session, change);
  const eventToResultMs = printStep(session, outcome, print);
  print('after:');
  return { ...outcome, matrix: await matrix(session, print), ...(eventToResultMs === undefined ? {} : { eventToResultMs }) };
}

/**
 * The story `npm run lab -- --service` tells and the CI test asserts: attach, assign, detach, each fixed
 * by the packaged service from its CloudTrail event; then the agent offline, and the job in the DLQ;
 * then the instance tagged eni-pbr:managed=false, and eni-pbr removed from it.
 */
export async function runServiceStory(session: ServiceSession, print: Print): Promise<StoryResult> {
  const { ec2, lab, endpoint } = session;
  print('before (the instance booted with eth0 only; eth1 is an available ENI, not attached):');
  const before = await matrix(session, print);

  const attach = await step(session, print, `1. AttachNetworkInterface ${SECONDARY_ENI} → ${lab.instanceId}, device 1 (the link moves into the instance; cloud-init's hotplug configures it)`, () =>
    ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: SECONDARY_ENI, InstanceId: lab.instanceId, DeviceIndex: 1 })),
  );
  const assign = await step(session, print, `2. AssignPrivateIpAddresses ${ASSIGNED_IP} → ${SECONDARY_ENI} (EC2 and the VPC know it; nobody touches the host)`, () =>
    ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: SECONDARY_ENI, PrivateIpAddresses: [ASSIGNED_IP] })),
  );

  const attachmentId = endpoint.ec2.networkInterfaces().find((eni) => eni.NetworkInterfaceId === SECONDARY_ENI)?.Attachment?.AttachmentId;
  const detachBefore = await snapshotHost(lab.instanceNs);
  const detachStep = await step(session, print, `3. DetachNetworkInterface ${String(attachmentId)} (the link leaves; the event names only the attachment)`, () =>
    ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: attachmentId })),
  );
  const detachAfter = await snapshotHost(lab.instanceNs);
  const nftAfter = await ownNftTable(lab.instanceNs);
  print(`eni-pbr's rules before → after: ${ownedLines(detachBefore.rules).length} → ${ownedLines(detachAfter.rules).length}; foreign rules kept: ${foreignLines(detachAfter.rules).join(' | ')}`);

  endpoint.instances.setPingStatus(lab.instanceId, 'ConnectionLost');
  const offlineBefore = await snapshotHost(lab.instanceNs);
  const offlineStep = await step(session, print, `4. the SSM Agent offline (PingStatus ConnectionLost), then AssignPrivateIpAddresses ${OFFLINE_IP} → ${PRIMARY_ENI}`, () =>
    ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: PRIMARY_ENI, PrivateIpAddresses: [OFFLINE_IP] })),
  );
  const offlineAfter = await snapshotHost(lab.instanceNs);
  // Counted where SQS moved them from: the remediation queue's redrive to its DLQ.
  const deadLetters = endpoint.sqs.queue(session.harness.deployment.mappings[0]?.queueName ?? '').redriven.length;
  const attempts = offlineStep.invocations.filter((invocation) => invocation.functionKey === 'remediate').length;
  print(`the job was tried ${attempts} times (maxReceiveCount) and moved to the DLQ: ${deadLetters} message(s); the host ${changedParts(offlineBefore, offlineAfter).length === 0 ? 'did not change' : `CHANGED: ${changedParts(offlineBefore, offlineAfter).join(', ')}`}`);
  endpoint.instances.setPingStatus(lab.instanceId, 'Online');

  const optOutBefore = await snapshotHost(lab.instanceNs);
  const optOutStep = await step(session, print, `5. CreateTags eni-pbr:managed=false on ${lab.instanceId} (opted out: the service removes eni-pbr from it)`, () =>
    ec2.send(new CreateTagsCommand({ Resources: [lab.instanceId], Tags: [{ Key: 'eni-pbr:managed', Value: 'false' }] })),
  );
  const optOutAfter = await snapshotHost(lab.instanceNs);
  print(`eni-pbr's rules and routes before → after: ${ownedLines([...optOutBefore.rules, ...optOutBefore.routes]).length} → ${ownedLines([...optOutAfter.rules, ...optOutAfter.routes]).length}; foreign rules kept: ${foreignLines(optOutAfter.rules).length}`);
  return {
    before,
    attach,
    assign,
    detach: { ...detachStep, hostBefore: detachBefore, hostAfter: detachAfter, nftAfter },
    offline: { ...offlineStep, hostBefore: offlineBefore, hostAfter: offlineAfter, deadLetters },
    optOut: { ...optOutStep, hostBefore: optOutBefore, hostAfter: optOutAfter, nftAfter: await ownNftTable(lab.instanceNs) },
  };
}
