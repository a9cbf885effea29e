import '../helpers/service-env';
import { DescribeInstanceInformationCommand, SendCommandCommand } from '@aws-sdk/client-ssm';
import { ModifyNetworkInterfaceAttributeCommand } from '@aws-sdk/client-ec2';
import 'aws-sdk-client-mock-jest';
import { parseRemediateConfig } from '../../functions/commons/config';
import { remediationOf } from '../../functions/remediate/remediate-deps';
import { JobFailedError } from '../../functions/service/job-errors';
import { processJob } from '../../functions/service/process-job';
import { inspectResultOfAfterState } from '../use-cases/fake-ports';
import { ec2, jobOf, publishedDetails, sentModes, setWorld, ssm } from '../remediate/aws-world';

/** The use case with the real adapters over mocked clients, under one deployment's settings. */
function deployed(env: Record<string, string>) {
  const { deps, settings } = remediationOf(parseRemediateConfig({ ...process.env, ...env }));
  return (job = jobOf()) => processJob(job, deps, settings);
}

const SECONDARY_ENI = 'eni-0e1ab000000000002';

describe('processJob under each setting', () => {
  it('check mode inspects and plans but sends no apply, and reports what is pending', async () => {
    setWorld();

    const { result } = await deployed({ ENI_PBR_MODE: 'check' })();

    expect(sentModes()).toEqual(['inspect']);
    expect(result.outcome).toBe('pending');
    expect(result.report?.operations.length).toBeGreaterThan(0);
    expect(publishedDetails()).toEqual([expect.objectContaining({ mode: 'check', outcome: 'pending', applied: null, planText: expect.stringContaining('eni-pbr-plan 1') })]);
  });

  it('check mode with the source/dest option lists the secondary ENIs and changes none', async () => {
    setWorld();

    const { result } = await deployed({ ENI_PBR_MODE: 'check', ENI_PBR_DISABLE_SOURCE_DEST_CHECK: 'true' })();

    expect(result.sourceDest).toEqual({ disabled: [], wouldDisable: [SECONDARY_ENI] });
    expect(ec2).toHaveReceivedCommandTimes(ModifyNetworkInterfaceAttributeCommand, 0);
  });

  it('with the source/dest option on, turns the check off on the secondary ENI only', async () => {
    setWorld();

    const { result } = await deployed({ ENI_PBR_DISABLE_SOURCE_DEST_CHECK: 'true' })();

    expect(ec2).toHaveReceivedCommandTimes(ModifyNetworkInterfaceAttributeCommand, 1);
    expect(ec2).toHaveReceivedCommandWith(ModifyNetworkInterfaceAttributeCommand, { NetworkInterfaceId: SECONDARY_ENI, SourceDestCheck: { Value: false } });
    expect(publishedDetails()[0]).toMatchObject({ sourceDestCheck: { disabled: [SECONDARY_ENI], wouldDisable: [] } });
    expect(result.outcome).toBe('remediated');
  });

  it('with the option off, never touches source/dest check', async () => {
    setWorld();

    await deployed({ ENI_PBR_DISABLE_SOURCE_DEST_CHECK: 'false' })();

    expect(ec2).toHaveReceivedCommandTimes(ModifyNetworkInterfaceAttributeCommand, 0);
  });

  it.each([
    ['false turns the deployed option off for the instance', 'true', 'false', 0],
    ['true cannot turn on an option not deployed (no IAM permission)', 'false', 'true', 0],
    ['a value it does not understand leaves the deployed setting', 'true', 'yes', 1],
  ])('the per-instance source/dest tag: %s', async (_what, deployedValue, tag, calls) => {
    setWorld({ tags: { 'eni-pbr:disable-source-dest-check': tag } });

    await deployed({ ENI_PBR_DISABLE_SOURCE_DEST_CHECK: deployedValue })();

    expect(ec2).toHaveReceivedCommandTimes(ModifyNetworkInterfaceAttributeCommand, calls);
  });

  it.each([
    ['opt-in', {}, 'skipped'],
    ['opt-in', { 'eni-pbr:managed': 'true' }, 'remediated'],
    ['opt-out', {}, 'remediated'],
    ['opt-out', { 'eni-pbr:managed': 'false' }, 'skipped'],
    ['opt-out', { 'eni-pbr:managed': 'FALSE; drop' }, 'skipped'],
  ])('%s mode with tags %j: %s', async (mode, tags, outcome) => {
    setWorld({ tags });

    const { result } = await deployed({ ENI_PBR_MANAGED_TAG_MODE: mode })();

    expect(result.outcome).toBe(outcome);
    expect(ssm).toHaveReceivedCommandTimes(SendCommandCommand, outcome === 'skipped' ? 0 : 2);
  });

  it('skips a stopped instance without asking SSM anything', async () => {
    setWorld({ state: 'stopped' });

    const { result } = await deployed({})();

    expect(result).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('stopped') });
    expect(ssm.calls()).toHaveLength(0);
  });

  it('waits, bounded, for the agent to come Online', async () => {
    setWorld({ inspect: inspectResultOfAfterState() });
    ssm.on(DescribeInstanceInformationCommand).resolvesOnce({ InstanceInformationList: [] }).resolves({ InstanceInformationList: [{ InstanceId: jobOf().instanceId, PingStatus: 'Online' }] });
    const { deps, settings } = remediationOf(parseRemediateConfig({ ...process.env, ENI_PBR_AGENT_WAIT_SECONDS: '30' }));
    const slept: number[] = [];
    const clock = { now: () => slept.reduce((a, b) => a + b, 0), sleep: async (ms: number) => void slept.push(ms) };

    const { result } = await processJob(jobOf(), { ...deps, clock }, settings);

    expect(result.outcome).toBe('compliant');
    expect(slept).toEqual([5_000]);
    expect(ssm).toHaveReceivedCommandTimes(DescribeInstanceInformationCommand, 2);
  });

  it('gives up after the bound with an unreachable, retryable failure', async () => {
    setWorld({ ping: 'Inactive' });
    const { deps, settings } = remediationOf(parseRemediateConfig({ ...process.env, ENI_PBR_AGENT_WAIT_SECONDS: '12' }));
    let now = 0;
    const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) };

    const failure = processJob(jobOf(), { ...deps, clock }, settings);

    await expect(failure).rejects.toThrow(JobFailedError);
    await expect(failure).rejects.toMatchObject({ retryable: true, unreachable: true, message: expect.stringContaining('Inactive after 12 s') });
    expect(now).toBe(12_000);
  });
  it('check mode does not remove eni-pbr from an opted-out instance: it says it would, and sends nothing', async () => {
    setWorld({ tags: { 'eni-pbr:managed': 'false' } });

    const { result } = await deployed({ ENI_PBR_MODE: 'check' })(jobOf({ trigger: 'CreateTags' }));

    expect(ssm).toHaveReceivedCommandTimes(SendCommandCommand, 0);
    expect(result).toMatchObject({ outcome: 'pending', reason: 'tag eni-pbr:managed=false; check mode: eni-pbr not removed' });
  });

  it('opt-in mode: deleting eni-pbr:managed=true removes eni-pbr; tagging it true remediates', async () => {
    setWorld();
    expect((await deployed({ ENI_PBR_MANAGED_TAG_MODE: 'opt-in' })(jobOf({ trigger: 'DeleteTags' }))).result.outcome).toBe('removed');
    expect(sentModes()).toEqual(['remove']);

    setWorld({ tags: { 'eni-pbr:managed': 'true' } });
    expect((await deployed({ ENI_PBR_MANAGED_TAG_MODE: 'opt-in' })(jobOf({ trigger: 'CreateTags' }))).result.outcome).toBe('remediated');
    expect(sentModes()).toEqual(['inspect', 'apply']);
  });
});
