import { DescribeInstanceInformationCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { SsmAgentStatus } from '../../../functions/adapters/ssm/agent-status';

const ssm = mockClient(SSMClient);
const INSTANCE = 'i-0e1ab00000000a1b2';

beforeEach(() => ssm.reset());

describe('SsmAgentStatus', () => {
  it.each(['Online', 'ConnectionLost', 'Inactive'])('reads PingStatus %s for the instance', async (PingStatus) => {
    ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ InstanceId: INSTANCE, PingStatus: PingStatus as never }] });

    await expect(new SsmAgentStatus(new SSMClient({})).pingStatus(INSTANCE)).resolves.toBe(PingStatus);
    expect(ssm).toHaveReceivedCommandWith(DescribeInstanceInformationCommand, { Filters: [{ Key: 'InstanceIds', Values: [INSTANCE] }] });
  });

  it('says null for an instance SSM has never seen', async () => {
    ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [] });

    await expect(new SsmAgentStatus(new SSMClient({})).pingStatus(INSTANCE)).resolves.toBeNull();
  });
});
