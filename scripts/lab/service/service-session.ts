import { EC2Client } from '@aws-sdk/client-ec2';
import { labDown, labUp } from '../../../functions/lab/lab-driver';
import type { LabInfo, LabOptions } from '../../../functions/lab/lab-options';
import { packagedService } from '../../../test/service-package/packaged-service';
import { startAwsEndpoint, type AwsEndpoint } from '../aws-endpoint/aws-endpoint';
import { REGION } from './cfn-intrinsics';
import type { LabOverrides, Template } from './deploy-template';
import { labEc2Seed, labHostSide, writeLabEc2 } from './lab-ec2';
import { startServiceHarness, type ServiceHarness } from './service-harness';

/**
 * What the lab shortens (the deployed values are 30 s, 2,520 s and 60 s): a settle delay of one second
 * (cloud-init's hotplug in the lab is done when `attach` returns), failed jobs back after two seconds,
 * and a two-second wait for an agent that is offline, so the DLQ case takes seconds, not half an hour.
 */
export const LAB_OVERRIDES: LabOverrides = {
  settleDelaySeconds: 1,
  visibilityTimeoutSeconds: 2,
  environment: { ENI_PBR_AGENT_WAIT_SECONDS: '2' },
};

export interface ServiceSession {
  readonly lab: LabInfo;
  readonly endpoint: AwsEndpoint;
  readonly harness: ServiceHarness;
  /** the operator's EC2 client: the calls that CloudTrail records and EventBridge delivers */
  readonly ec2: EC2Client;
  readonly upMs: number;
  /** seconds `serverless package` took, undefined when the package came from the cache */
  readonly packageSeconds: number | undefined;
  stop(): Promise<void>;
}

/**
 * The lab booted with one ENI, the packaged service on the local endpoint, the instance's SSM Agent
 * Online. stop() (safe twice) removes everything; a failure half-way removes what was built.
 */
export async function startServiceSession(options: LabOptions, overrides: LabOverrides = LAB_OVERRIDES): Promise<ServiceSession> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const packaged = packagedService();
    cleanups.push(() => labDown(options.name));
    const upStarted = performance.now();
    const lab = await labUp({ ...options, bootEnis: 1 });
    const upMs = performance.now() - upStarted;
    const seed = labEc2Seed(lab);
    const endpoint = await startAwsEndpoint({ ec2: seed, hostSide: labHostSide(lab, seed), onEc2Change: writeLabEc2(lab) });
    cleanups.push(() => endpoint.stop());
    endpoint.instances.register(lab.instanceId, lab.instanceNs, 'Online');
    const service = await packaged;
    const harness = await startServiceHarness(endpoint, service.template as unknown as Template, service.dir, overrides);
    cleanups.push(() => harness.stop());
    const ec2 = new EC2Client({ endpoint: endpoint.url, region: REGION, credentials: { accessKeyId: 'AKIDLABOPERATOR', secretAccessKey: 'local' } });
    cleanups.push(async () => ec2.destroy());
    return { lab, endpoint, harness, ec2, upMs, packageSeconds: service.packageSeconds, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
