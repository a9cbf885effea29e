import type { ExcludedEni } from '../model/eni-facts';
import type { RawNetworkInterface } from './ec2-schemas';

/**
 * Why eni-pbr does not route an ENI, or null when it does. EFA-only interfaces carry no IP; trunk and
 * branch ENIs belong to ECS/EKS pod networking, which routes them itself.
 */
export function exclusionOf(raw: RawNetworkInterface, eniId: string): ExcludedEni | null {
  const status = raw.Attachment?.Status ?? 'unknown';
  if (status !== 'attached') return { eniId, reason: 'not-attached', detail: `attachment status ${status}` };
  const type = raw.InterfaceType ?? 'interface';
  if (type === 'interface' || type === 'efa') return null;
  if (type === 'efa-only') return { eniId, reason: 'efa-only', detail: 'EFA-only interfaces carry no IP traffic' };
  if (type === 'trunk') return { eniId, reason: 'trunk', detail: 'trunk interfaces are routed by the VPC CNI' };
  if (type === 'branch') return { eniId, reason: 'branch', detail: 'branch interfaces are routed by the VPC CNI' };
  return { eniId, reason: 'unsupported-type', detail: `interface type ${JSON.stringify(type.slice(0, 32))}` };
}
