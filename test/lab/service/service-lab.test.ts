/**
 * `npm run lab -- --service` as a test: the packaged zips, under Node 22, fix the lab's instance from
 * the CloudTrail events EventBridge delivers, through the local AWS endpoint on 127.0.0.1.
 *
 *   operator ──EC2 API──▶ endpoint ──CloudTrail event──▶ rule ─▶ intake ─▶ FIFO queue ─▶ remediate
 *                           │ lab.sh attach/assign/detach             (settle delay)      │ SSM SendCommand
 *                           ▼                                                             ▼
 *                        lab kernel (namespaces) ◀────── the template's AWS::SSM::Document in the instance
 */
import { LAB_CLIENT2_IP, failingCells } from '../../../functions/lab/lab-matrix';
import { uniqueLabName } from '../../../functions/lab/lab-options';
import { changedParts, foreignLines, ownedLines } from '../../../scripts/lab/service/host-snapshot';
import { startServiceSession, type ServiceSession } from '../../../scripts/lab/service/service-session';
import { ASSIGNED_IP, runServiceStory, type StoryResult } from '../../../scripts/lab/service/service-story';
import { describeAsRoot } from '../../helpers/root-only';
import { expectContractCalls, expectPowertoolsOutput } from './service-expectations';

// Packaging (once per content hash, shared with test/service-package), the lab, five steps and five
// DLQ attempts: about a minute on an idle 2-core machine.
const STORY_TIMEOUT_MS = 600_000;

describeAsRoot('the packaged service on the lab, from the CloudTrail event on', () => {
  let session: ServiceSession | undefined;
  let story: StoryResult;
  const printed: string[] = [];

  beforeAll(async () => {
    session = await startServiceSession({ name: uniqueLabName('eps'), preset: 'ubuntu-24.04', variant: 'base', ifnames: 'eth' });
    story = await runServiceStory(session, (line = '') => printed.push(line));
  }, STORY_TIMEOUT_MS);
  afterAll(async () => {
    await session?.stop();
  }, 60_000);

  it('starts with one ENI and every cell passing', () => {
    expect(failingCells(story.before)).toEqual([]);
    expect(story.before.some((row) => row.target === '10.0.3.158')).toBe(false);
  });

  it('fixes the hot-attached ENI: every cell passes', () => {
    expect(story.attach.result).toMatchObject({ outcome: 'remediated', trigger: 'AttachNetworkInterface', remaining: 0 });
    // client 2 → the primary included: the default plan gives the primary a table of the other ENIs' subnets.
    expect(failingCells(story.attach.matrix)).toEqual([]);
    expect(story.attach.matrix.filter((row) => row.target === '10.0.3.158').every((row) => row.ok)).toBe(true);
  });

  it('makes a secondary IP assigned later work without anyone touching the host', () => {
    const newCells = story.assign.matrix.filter((row) => row.target === ASSIGNED_IP);

    expect(story.assign.result).toMatchObject({ outcome: 'remediated', trigger: 'AssignPrivateIpAddresses' });
    expect(newCells.map((row) => `${row.from} ${row.probe}`).sort()).toEqual(['10.0.2.225 container', '10.0.2.225 host', '10.0.2.225 ping', `${LAB_CLIENT2_IP} container`, `${LAB_CLIENT2_IP} host`, `${LAB_CLIENT2_IP} ping`, '172.17.0.2 host'].sort());
    expect(newCells.every((row) => row.ok)).toBe(true);
    expect(failingCells(story.assign.matrix)).toEqual([]);
  });

  it("removes eni-pbr's configuration of the detached ENI and touches nothing foreign", () => {
    const { hostBefore, hostAfter, nftAfter } = story.detach;
    const ofEth1 = (line: string) => /\beth1\b|\b20001\b|\b21001\b|\b22001\b/.test(line);

    expect(story.detach.result).toMatchObject({ outcome: 'remediated', trigger: 'DetachNetworkInterface' });
    expect(ownedLines(hostBefore.rules).filter(ofEth1).length).toBeGreaterThan(0);
    expect(ownedLines([...hostAfter.rules, ...hostAfter.routes]).filter(ofEth1)).toEqual([]);
    expect(nftAfter).not.toContain('eth1');
    // cloud-init's rule for the departed address stays: it is not eni-pbr's to delete.
    expect(foreignLines(hostAfter.rules)).toEqual(foreignLines(hostBefore.rules));
    expect(foreignLines(hostAfter.rules)).toContainEqual(expect.stringContaining('from 10.0.3.158 lookup 101'));
    expect(foreignLines(hostAfter.routes)).toEqual(foreignLines(hostBefore.routes).filter((line) => !/dev eth1\b/.test(line)));
    expect(failingCells(story.detach.matrix)).toEqual([]);
  });

  it('retries a job for an offline agent maxReceiveCount times, then leaves it in the DLQ, the host untouched', () => {
    const attempts = story.offline.invocations.filter((invocation) => invocation.functionKey === 'remediate');

    expect(story.offline.deadLetters).toBe(1);
    expect(attempts).toHaveLength(5);
    for (const attempt of attempts) {
      expect(attempt.outcome.ok).toBe(true);
      expect(attempt.lines.some((line) => line.includes('"InstancesUnreachable":1'))).toBe(true);
    }
    expect(story.offline.result).toMatchObject({ outcome: 'unreachable', retrying: true });
    expect(story.offline.calls.filter((call) => call.operation === 'SendCommand')).toEqual([]);
    expect(changedParts(story.offline.hostBefore, story.offline.hostAfter)).toEqual([]);
  });

  it('removes eni-pbr from the instance tagged eni-pbr:managed=false: nothing of its own left, nothing foreign touched', () => {
    const { hostBefore, hostAfter, nftAfter } = story.optOut;

    expect(story.optOut.result).toMatchObject({ outcome: 'removed', trigger: 'CreateTags', removal: { status: 'removed', error: null } });
    expect(story.optOut.calls.filter((call) => call.operation === 'SendCommand')).toHaveLength(1);
    expect(ownedLines([...hostBefore.rules, ...hostBefore.routes]).length).toBeGreaterThan(0);
    expect(ownedLines([...hostAfter.rules, ...hostAfter.routes])).toEqual([]);
    expect(nftAfter).toBe('');
    expect(foreignLines(hostAfter.rules)).toEqual(foreignLines(hostBefore.rules));
  });

  it('calls only the AWS APIs the contract grants each function, and logs only Powertools JSON', () => {
    for (const step of [story.attach, story.assign, story.detach, story.offline, story.optOut]) {
      expectContractCalls(step.calls);
      step.invocations.forEach(expectPowertoolsOutput);
    }
  });
});
