import { AttachNetworkInterfaceCommand, EC2Client } from '@aws-sdk/client-ec2';
import { labDown, labUp } from './functions/lab/lab-driver';
import { packagedService } from './test/service-package/packaged-service';
import { startAwsEndpoint } from './scripts/lab/aws-endpoint/aws-endpoint';
import { labEc2Seed, labHostSide, writeLabEc2 } from './scripts/lab/service/lab-ec2';
import { startServiceHarness } from './scripts/lab/service/service-harness';

async function main() {
  const name = 'epsmoke';
  const lab = await labUp({ name, preset: 'ubuntu-24.04', variant: 'base', ifnames: 'eth', bootEnis: 1 });
  try {
    const seed = labEc2Seed(lab);
    const endpoint = await startAwsEndpoint({ ec2: seed, hostSide: labHostSide(lab, seed), onEc2Change: writeLabEc2(lab) });
    endpoint.instances.register(lab.instanceId, lab.instanceNs);
    const service = await packagedService();
    const harness = await startServiceHarness(endpoint, service.template as never, service.dir, { settleDelaySeconds: 1, visibilityTimeoutSeconds: 2, environment: { ENI_PBR_AGENT_WAIT_SECONDS: '2' } });
    const ec2 = new EC2Client({ endpoint: endpoint.url, region: 'ap-northeast-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const t0 = Date.now();
    await ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: 'eni-0e1ab000000000002', InstanceId: lab.instanceId, DeviceIndex: 1 }));
    await new Promise((r) => setTimeout(r, 300));
    await harness.idle();
    console.log('took', Date.now() - t0);
    for (const inv of harness.invocations) {
      console.log(inv.functionKey, inv.endedAt - inv.startedAt, inv.coldStartMs, JSON.stringify(inv.outcome));
      for (const l of inv.lines) console.log('   ', l.slice(0, 400));
    }
    console.log(endpoint.calls.map((c) => `${c.service}:${c.operation}${c.error ? '!' + c.error : ''}`).join(' '));
    console.log(JSON.stringify(endpoint.events.recorded.map((r) => [r.event['detail-type'], r.event.detail.outcome])));
    await harness.stop();
    await endpoint.stop();
  } finally {
    await labDown(name);
  }
}
main();
