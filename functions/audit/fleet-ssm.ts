import type { SsmAgentStatus } from '../adapters/ssm/agent-status';
import type { SsmFleetCommand } from '../adapters/ssm/ssm-fleet-command';
import type { FleetSsmPort } from '../service/audit/audit-ports';

/** The audit's view of SSM: agent status from the service's status adapter, commands from the fleet one. */
export function fleetSsm(status: SsmAgentStatus, commands: SsmFleetCommand): FleetSsmPort {
  return {
    describeManagedNodes: (instanceIds) => status.describeManagedNodes(instanceIds),
    sendInspect: (instanceIds) => commands.sendInspect(instanceIds),
    listCommandProgress: (since) => commands.listCommandProgress(since),
    listInvocations: (commandId) => commands.listInvocations(commandId),
    getInvocationOutput: (commandId, instanceId) => commands.getInvocationOutput(commandId, instanceId),
  };
}
