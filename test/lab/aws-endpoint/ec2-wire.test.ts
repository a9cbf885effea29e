import {
  AssignPrivateIpAddressesCommand,
  AttachNetworkInterfaceCommand,
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
  DetachNetworkInterfaceCommand,
  ModifyNetworkInterfaceAttributeCommand,
  UnassignPrivateIpAddressesCommand,
  paginateDescribeNetworkInterfaces,
} from '@aws-sdk/client-ec2';
import { IntakeEventSchema, toIntakeEvent } from '../../../functions/intake/intake-event-schema';
import type { AwsEndpoint } from '../../../scripts/lab/aws-endpoint/aws-endpoint';
import { clientsFor, INSTANCE_ID, PRIMARY_ENI, SECONDARY_ENI, startLabEndpoint } from './endpoint-fixture';

describe('the local endpoint speaks EC2 query/XML to the SDK client', () => {
  let endpoint: AwsEndpoint;
  let ec2: ReturnType<typeof clientsFor>['ec2'];

  beforeEach(async () => {
    endpoint = await startLabEndpoint();
    ec2 = clientsFor(endpoint).ec2;
  });
  afterEach(() => endpoint.stop());

  it('answers DescribeNetworkInterfaces by attachment.instance-id with the SDK shapes the core reads', async () => {
    const out = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [INSTANCE_ID] }] }));

    expect(out.NetworkInterfaces).toHaveLength(1);
    expect(out.NetworkInterfaces?.[0]).toMatchObject({
      NetworkInterfaceId: PRIMARY_ENI,
      MacAddress: '0a:e1:ab:00:00:10',
      PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: '10.0.1.40' }],
      Attachment: { DeviceIndex: 0, NetworkCardIndex: 0, InstanceId: INSTANCE_ID, Status: 'attached' },
      Groups: [{ GroupId: 'sg-0e1ab000000000001', GroupName: 'lab' }],
      SourceDestCheck: true,
    });
    expect(out.NetworkInterfaces?.[0]?.Attachment?.AttachTime).toEqual(new Date('2026-11-26T05:00:00Z'));
  });

  it('filters by attachment.attachment-id, wildcards included, and by id', async () => {
    const byAttachment = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.attachment-id', Values: ['eni-attach-0e1ab*'] }] }));
    const byId = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [SECONDARY_ENI] }));
    const none = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.attachment-id', Values: ['eni-attach-00000000000000000'] }] }));

    expect(byAttachment.NetworkInterfaces?.map((eni) => eni.NetworkInterfaceId)).toEqual([PRIMARY_ENI]);
    expect(byId.NetworkInterfaces?.[0]).toMatchObject({ NetworkInterfaceId: SECONDARY_ENI, Status: 'available' });
    expect(byId.NetworkInterfaces?.[0]?.Attachment).toBeUndefined();
    expect(none.NetworkInterfaces).toEqual([]);
  });

  it('pages with MaxResults/NextToken so the SDK paginator walks every page', async () => {
    const ids: string[] = [];
    for await (const page of paginateDescribeNetworkInterfaces({ client: ec2, pageSize: 5 }, {})) ids.push(...(page.NetworkInterfaces ?? []).map((eni) => eni.NetworkInterfaceId ?? ''));

    expect(ids).toEqual([PRIMARY_ENI, SECONDARY_ENI]);
  });

  it('rejects an unknown filter and an unknown ENI with the codes EC2 uses', async () => {
    await expect(ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.colour', Values: ['x'] }] }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ['eni-0000000000000000f'] }))).rejects.toMatchObject({
      name: 'InvalidNetworkInterfaceID.NotFound',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('answers DescribeSubnets and DescribeInstances (state and tags)', async () => {
    endpoint.ec2.setInstanceTag(INSTANCE_ID, 'eni-pbr:managed', 'false');
    const subnets = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-0e1ab000000000003'] }));
    const instances = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [INSTANCE_ID] }));
    const running = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['running'] }, { Name: 'tag:eni-pbr:managed', Values: ['false'] }] }));

    expect(subnets.Subnets).toEqual([expect.objectContaining({ SubnetId: 'subnet-0e1ab000000000003', CidrBlock: '10.0.3.0/24' })]);
    expect(instances.Reservations?.[0]?.Instances?.[0]).toMatchObject({ InstanceId: INSTANCE_ID, State: { Code: 16, Name: 'running' }, PrivateIpAddress: '10.0.1.40' });
    expect(instances.Reservations?.[0]?.Instances?.[0]?.Tags).toEqual(expect.arrayContaining([{ Key: 'eni-pbr:managed', Value: 'false' }]));
    expect(running.Reservations).toHaveLength(1);
    await expect(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0000000000000000f'] }))).rejects.toMatchObject({ name: 'InvalidInstanceID.NotFound' });
  });

  it('attaches, assigns, unassigns and detaches, changing what Describe says and emitting CloudTrail events', async () => {
    const attached = await ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: SECONDARY_ENI, InstanceId: INSTANCE_ID, DeviceIndex: 1 }));
    const assigned = await ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: SECONDARY_ENI, SecondaryPrivateIpAddressCount: 1 }));
    const afterAssign = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [INSTANCE_ID] }] }));
    await ec2.send(new UnassignPrivateIpAddressesCommand({ NetworkInterfaceId: SECONDARY_ENI, PrivateIpAddresses: [assigned.AssignedPrivateIpAddresses?.[0]?.PrivateIpAddress ?? ''] }));
    await ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: attached.AttachmentId }));
    const afterDetach = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [SECONDARY_ENI] }));

    expect(attached.AttachmentId).toMatch(/^eni-attach-[0-9a-f]{17}$/);
    expect(assigned.AssignedPrivateIpAddresses).toEqual([{ PrivateIpAddress: '10.0.3.4' }]);
    expect(afterAssign.NetworkInterfaces?.[1]?.PrivateIpAddresses?.map((ip) => ip.PrivateIpAddress)).toEqual(['10.0.3.158', '10.0.3.4']);
    expect(afterDetach.NetworkInterfaces?.[0]).toMatchObject({ Status: 'available', PrivateIpAddresses: [{ PrivateIpAddress: '10.0.3.158' }] });
    const trail = endpoint.events.recorded.map(({ event }) => [event.source, event['detail-type'], event.detail.eventName]);
    expect(trail).toEqual(
      ['AttachNetworkInterface', 'AssignPrivateIpAddresses', 'UnassignPrivateIpAddresses', 'DetachNetworkInterface'].map((name) => ['aws.ec2', 'AWS API Call via CloudTrail', name]),
    );
    expect(endpoint.events.recorded[0]?.event.detail).toMatchObject({
      eventSource: 'ec2.amazonaws.com',
      requestParameters: { networkInterfaceId: SECONDARY_ENI, instanceId: INSTANCE_ID, deviceIndex: 1 },
      responseElements: { attachmentId: attached.AttachmentId },
    });
    expect(endpoint.events.recorded[3]?.event.detail).toMatchObject({ requestParameters: { attachmentId: attached.AttachmentId, force: false } });
  });

  it('refuses what EC2 refuses: a taken device index, the primary detached, an address in use', async () => {
    await expect(ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: SECONDARY_ENI, InstanceId: INSTANCE_ID, DeviceIndex: 0 }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: 'eni-attach-0e1ab000000000001' }))).rejects.toMatchObject({ name: 'OperationNotPermitted' });
    await expect(ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: SECONDARY_ENI, PrivateIpAddresses: ['10.0.3.77'] }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: 'eni-attach-00000000000000000' }))).rejects.toMatchObject({ name: 'InvalidAttachmentID.NotFound' });
    expect(endpoint.events.recorded).toEqual([]);
  });

  it('sets SourceDestCheck=false with ModifyNetworkInterfaceAttribute', async () => {
    await ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: SECONDARY_ENI, SourceDestCheck: { Value: false } }));

    const out = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [SECONDARY_ENI] }));
    expect(out.NetworkInterfaces?.[0]?.SourceDestCheck).toBe(false);
  });

  it('keeps instances\' tags with CreateTags/DeleteTags as EC2 does, and records calls the intake takes in', async () => {
    const tagsNow = async () => (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [INSTANCE_ID] }))).Reservations?.[0]?.Instances?.[0]?.Tags;
    endpoint.ec2.setInstanceTag(INSTANCE_ID, 'aws:autoscaling:groupName', 'web');

    await ec2.send(new CreateTagsCommand({ Resources: [INSTANCE_ID], Tags: [{ Key: 'eni-pbr:managed', Value: 'false' }] }));
    expect(await tagsNow()).toEqual(expect.arrayContaining([{ Key: 'eni-pbr:managed', Value: 'false' }]));
    await ec2.send(new DeleteTagsCommand({ Resources: [INSTANCE_ID], Tags: [{ Key: 'eni-pbr:managed', Value: 'true' }] }));
    expect(await tagsNow()).toEqual(expect.arrayContaining([{ Key: 'eni-pbr:managed', Value: 'false' }])); // a value that differs deletes nothing
    await ec2.send(new DeleteTagsCommand({ Resources: [INSTANCE_ID] }));
    expect(await tagsNow()).toEqual([{ Key: 'aws:autoscaling:groupName', Value: 'web' }]); // every user tag, not aws: ones

    const changes = endpoint.events.recorded.map(({ event }) => toIntakeEvent(IntakeEventSchema.parse(event)).change);
    expect(changes).toEqual([
      { kind: 'managed-tag-changed', trigger: 'CreateTags', instanceIds: [INSTANCE_ID] },
      { kind: 'managed-tag-changed', trigger: 'DeleteTags', instanceIds: [INSTANCE_ID] },
      { kind: 'managed-tag-changed', trigger: 'DeleteTags', instanceIds: [INSTANCE_ID] },
    ]);
    await expect(ec2.send(new CreateTagsCommand({ Resources: ['i-0000000000000000f'], Tags: [{ Key: 'eni-pbr:managed', Value: 'false' }] }))).rejects.toMatchObject({ name: 'InvalidInstanceID.NotFound' });
    expect(endpoint.events.recorded).toHaveLength(3);
  });

  it('throttles on demand with RequestLimitExceeded, which the SDK retries', async () => {
    endpoint.faults.inject('ec2:DescribeSubnets', 'RequestLimitExceeded', 1, 503);

    const out = await ec2.send(new DescribeSubnetsCommand({}));

    expect(out.Subnets).toHaveLength(2);
    expect(out.$metadata.attempts).toBe(2);
  });
});
