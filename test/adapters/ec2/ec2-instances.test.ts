import { DescribeInstancesCommand, EC2Client, ModifyNetworkInterfaceAttributeCommand } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { Ec2Instances } from '../../../functions/adapters/ec2/ec2-instances';

const ec2 = mockClient(EC2Client);
const INSTANCE = 'i-0e1ab00000000a1b2';
const instances = () => new Ec2Instances(new EC2Client({ region: 'us-east-1' }));

beforeEach(() => ec2.reset());

describe('Ec2Instances', () => {
  it('reads state and tags', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: INSTANCE, State: { Name: 'running', Code: 16 }, Tags: [{ Key: 'eni-pbr:managed', Value: 'false' }, { Key: 'Name', Value: 'nat-1' }] }] }] });

    await expect(instances().readInstance(INSTANCE)).resolves.toEqual({ instanceId: INSTANCE, state: 'running', tags: { 'eni-pbr:managed': 'false', Name: 'nat-1' } });
    expect(ec2).toHaveReceivedCommandWith(DescribeInstancesCommand, { InstanceIds: [INSTANCE] });
  });

  it('says null when EC2 no longer knows the instance', async () => {
    ec2.on(DescribeInstancesCommand).rejects(Object.assign(new Error("The instance ID 'i-0e1ab00000000a1b2' does not exist"), { name: 'InvalidInstanceID.NotFound' }));

    await expect(instances().readInstance(INSTANCE)).resolves.toBeNull();
  });

  it('sets SourceDestCheck=false on one ENI', async () => {
    ec2.on(ModifyNetworkInterfaceAttributeCommand).resolves({});

    await instances().disableSourceDestCheck('eni-0e1ab000000000002');

    expect(ec2).toHaveReceivedCommandWith(ModifyNetworkInterfaceAttributeCommand, { NetworkInterfaceId: 'eni-0e1ab000000000002', SourceDestCheck: { Value: false } });
  });
});
