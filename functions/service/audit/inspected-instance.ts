import type { PlanOptions } from '../../core/model/plan-options';
import type { LoggerPort } from '../../use-cases/ports';
import type { InstanceAudit } from './audit-report';
import type { FleetNetworkInterface } from './audit-ports';
import { judgeInstance } from './judge-instance';

/** One inspected instance judged against its own ENIs and their subnets; a bug in judging stays one line. */
export function inspectedInstance(
  instanceId: string,
  stdout: string,
  interfacesOf: ReadonlyMap<string, readonly FleetNetworkInterface[]>,
  subnetById: ReadonlyMap<string, unknown>,
  options: PlanOptions,
  logger: LoggerPort,
): InstanceAudit {
  const networkInterfaces = interfacesOf.get(instanceId) ?? [];
  const subnets = [...new Set(networkInterfaces.map((eni) => eni.SubnetId))].flatMap((id) => (id === undefined || !subnetById.has(id) ? [] : [subnetById.get(id)]));
  try {
    return judgeInstance({ instanceId, networkInterfaces, subnets, stdout }, options);
  } catch (error) {
    logger.warn('instance could not be judged', { instanceId, error: error instanceof Error ? error.message : String(error) });
    return { instanceId, status: 'error', reason: `eni-pbr could not judge this instance: ${error instanceof Error ? error.message : String(error)}` };
  }
}
