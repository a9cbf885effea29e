import { DescribeNetworkInterfacesCommand, DescribeSubnetsCommand, EC2Client, type NetworkInterface } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { Ec2Interfaces } from '../../../functions/adapters/ec2/ec2-interfaces';
import { LAB_INSTANCE_ID, labAnswers } from '../../use-cases/fake-ports';

const ec2 = mockClient(EC2Client);
const interfaces = () => new Ec2Interfaces(new EC2Client({ region: 'us-east-1' }));
const labEnis = () => (labAnswers().describeNetworkInterfaces as { NetworkInterfaces: NetworkInterface[] }).NetworkInterfaces;

beforeEach(() => ec2.reset());

describe('Ec2Interfaces', () => {
  it("reads every page of the instance's ENIs by attachment.instance-id", async () => {
    const [first, second] = labEnis();
    ec2.on(DescribeNetworkInterfacesCommand).resolvesOnce({ NetworkInterfaces: [first!], NextToken: 'page-2' }).resolvesOnce({ NetworkInterfaces: [second!] });

    const read = await interfaces().readInterfaces(LAB_INSTANCE_ID);

    expect(ec2).toHaveReceivedNthSpecificCommandWith(1, DescribeNetworkInterfacesCommand, { Filters: [{ Name: 'attachment.instance-id', Values: [LAB_INSTANCE_ID] }], MaxResults: 1000 });
    expect(ec2).toHaveReceivedNthSpecificCommandWith(2, DescribeNetworkInterfacesCommand, { NextToken: 'page-2' });
    expect(read.raw).toEqual({ NetworkInterfaces: [first, second] });
    expect(read.interfaces).toEqual([
      { eniId: 'eni-0e1ab000000000001', attachmentId: 'eni-attach-0e1ab000000000001', instanceId: LAB_INSTANCE_ID, deviceIndex: 0, networkCardIndex: 0, attachmentStatus: 'attached', sourceDestCheck: true, subnetId: 'subnet-0e1ab000000000001' },
      { eniId: 'eni-0e1ab000000000002', attachmentId: 'eni-attach-0e1ab000000000002', instanceId: LAB_INSTANCE_ID, deviceIndex: 1, networkCardIndex: 0, attachmentStatus: 'attached', sourceDestCheck: true, subnetId: 'subnet-0e1ab000000000003' },
    ]);
  });

  it('describes each subnet once', async () => {
    ec2.on(DescribeSubnetsCommand).resolves(labAnswers().describeSubnets as never);

    await interfaces().describeSubnets(['subnet-0e1ab000000000001', 'subnet-0e1ab000000000003', 'subnet-0e1ab000000000001']);

    expect(ec2).toHaveReceivedCommandWith(DescribeSubnetsCommand, { SubnetIds: ['subnet-0e1ab000000000001', 'subnet-0e1ab000000000003'] });
  });

  it('finds the instance of an attachment, and null once EC2 no longer has it', async () => {
    ec2.on(DescribeNetworkInterfacesCommand).resolvesOnce({ NetworkInterfaces: [labEnis()[1]!] }).resolvesOnce({ NetworkInterfaces: [] });

    await expect(interfaces().findByAttachment('eni-attach-0e1ab000000000002')).resolves.toEqual({ attachmentId: 'eni-attach-0e1ab000000000002', instanceId: LAB_INSTANCE_ID, eniId: 'eni-0e1ab000000000002' });
    await expect(interfaces().findByAttachment('eni-attach-0e1ab000000000002')).resolves.toBeNull();
  });

  it('finds no instance for a detached ENI', async () => {
    ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [{ ...labEnis()[1], Attachment: undefined, Status: 'available' }] });

    await expect(interfaces().findByInterface('eni-0e1ab000000000002')).resolves.toBeNull();
  });

  it('lets other errors through (the caller decides about retries)', async () => {
    ec2.on(DescribeNetworkInterfacesCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'RequestLimitExceeded' }));

    await expect(interfaces().findByInterface('eni-0e1ab000000000002')).rejects.toThrow('Rate exceeded');
  });
});
