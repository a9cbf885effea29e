import type { NetworkInterface } from '@aws-sdk/client-ec2';
import type { InterfaceSummary } from '../../service/ports';

/** SDK NetworkInterface → the summary the service reasons on; null when it is not attached to anything. */
export function summaryOf(eni: NetworkInterface): InterfaceSummary | null {
  const attachment = eni.Attachment;
  if (eni.NetworkInterfaceId === undefined || attachment?.AttachmentId === undefined || attachment.InstanceId === undefined) return null;
  return {
    eniId: eni.NetworkInterfaceId,
    attachmentId: attachment.AttachmentId,
    instanceId: attachment.InstanceId,
    deviceIndex: attachment.DeviceIndex ?? 0,
    networkCardIndex: attachment.NetworkCardIndex ?? 0,
    attachmentStatus: attachment.Status ?? 'unknown',
    // EC2 leaves the field out only for interfaces it manages itself; treat unknown as the default (on).
    sourceDestCheck: eni.SourceDestCheck ?? true,
    subnetId: eni.SubnetId ?? '',
  };
}
