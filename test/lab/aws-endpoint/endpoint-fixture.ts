import { EC2Client } from '@aws-sdk/client-ec2';
import type { NetworkInterface, Subnet } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SQSClient } from '@aws-sdk/client-sqs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startAwsEndpoint, type AwsEndpoint, type AwsEndpointOptions } from '../../../scripts/lab/aws-endpoint/aws-endpoint';

export const INSTANCE_ID = 'i-0e1ab00000000a1b2';
export const PRIMARY_ENI = 'eni-0e1ab000000000001';
export const SECONDARY_ENI = 'eni-0e1ab000000000002';

/** The lab's instance as EC2 describes it: eth0 attached, eth1 available (not yet hot-attached). */
export function labSeed(): AwsEndpointOptions['ec2'] {
  const eni = (index: number, subnet: number, ip: string): NetworkInterface => ({
    NetworkInterfaceId: `eni-0e1ab00000000000${index + 1}`,
    MacAddress: `0a:e1:ab:00:00:${(16 + index).toString(16)}`,
    SubnetId: `subnet-0e1ab00000000000${subnet}`,
    VpcId: 'vpc-0e1ab0000000000aa',
    AvailabilityZone: 'ap-northeast-1a',
    OwnerId: '123456789012',
    PrivateIpAddress: ip,
    PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: ip }],
    SourceDestCheck: true,
    Status: index === 0 ? 'in-use' : 'available',
    InterfaceType: 'interface',
    Groups: [{ GroupId: 'sg-0e1ab000000000001', GroupName: 'lab' }],
    TagSet: [],
    ...(index === 0
      ? { Attachment: { AttachmentId: 'eni-attach-0e1ab000000000001', DeviceIndex: 0, NetworkCardIndex: 0, InstanceId: INSTANCE_ID, Status: 'attached', AttachTime: new Date('2026-11-26T05:00:00Z'), DeleteOnTermination: true } }
      : {}),
  });
  const subnet = (n: number): Subnet => ({ SubnetId: `subnet-0e1ab00000000000${n}`, CidrBlock: `10.0.${n}.0/24`, VpcId: 'vpc-0e1ab0000000000aa', AvailabilityZone: 'ap-northeast-1a', State: 'available' });
  return {
    networkInterfaces: [eni(0, 1, '10.0.1.40'), eni(1, 3, '10.0.3.158')],
    subnets: [subnet(1), subnet(3)],
    instances: { [INSTANCE_ID]: { Name: 'lab' } },
    reservedAddresses: ['10.0.3.77'],
  };
}

/** SDK v3 clients as the Lambda functions build them, pointed at the endpoint, with dummy credentials. */
export function clientsFor(endpoint: AwsEndpoint) {
  const config = {
    endpoint: endpoint.url,
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 3,
  };
  return {
    ec2: new EC2Client(config),
    ssm: new SSMClient(config),
    sqs: new SQSClient(config),
    events: new EventBridgeClient(config),
    dynamodb: new DynamoDBClient(config),
  };
}

export async function startLabEndpoint(options: Partial<AwsEndpointOptions> = {}): Promise<AwsEndpoint> {
  return startAwsEndpoint({ ec2: labSeed(), ...options });
}
