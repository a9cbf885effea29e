import { CancelCommandCommand, GetCommandInvocationCommand, SendCommandCommand, waitUntilCommandExecuted, type GetCommandInvocationCommandOutput, type SSMClient } from '@aws-sdk/client-ssm';
import { assertCommandFitsQuota } from '../../agent-protocol/ssm-size-budget';
import type { AgentCommandPort, AgentCommandRequest, AgentCommandResult } from '../../use-cases/ports';
import { CommandNotRunError, CommandTimedOutError } from './command-errors';

export interface SsmCommandSettings {
  readonly documentName: string;
  readonly documentVersion: string;
  readonly logGroup: string;
  readonly documentBytes: number;
  /** our bound on one command, delivery + execution + polling */
  readonly commandTimeoutSeconds: number;
  /** the waiter's first poll interval; SSM's default of 5 s would make each round trip cost ≥ 5 s */
  readonly pollSeconds?: number;
}

// SendCommand's TimeoutSeconds is the *delivery* timeout, 30 s at least; the agent was Online just before.
const DELIVERY_TIMEOUT_SECONDS = 30;
const DEFAULT_POLL_SECONDS = 0.5;
const MAX_POLL_SECONDS = 5; // backoff cap: an apply takes well under a second, an inspect a few
// Final states where the script never ran to an exit code of its own (StatusDetails of GetCommandInvocation).
const NOT_RUN_DETAILS = new Set(['Undeliverable', 'Delivery Timed Out', 'DeliveryTimedOut', 'Execution Timed Out', 'ExecutionTimedOut', 'Terminated', 'Cancelled']);

/** The agent document run through SSM Run Command: SendCommand, then the SDK waiter on GetCommandInvocation. */
export class SsmAgentCommand implements AgentCommandPort {
  constructor(
    private readonly client: SSMClient,
    private readonly settings: SsmCommandSettings,
  ) {}

  async run(request: AgentCommandRequest): Promise<AgentCommandResult> {
    const { instanceId } = request;
    const parameters: Record<string, string> = { Mode: request.parameters.Mode };
    if (request.parameters.Plan !== undefined) parameters.Plan = request.parameters.Plan;
    // Before any AWS call: past the quota SSM answers MaxDocumentSizeExceeded only on a real account.
    assertCommandFitsQuota(this.settings.documentBytes, parameters);
    const sent = await this.client.send(
      new SendCommandCommand({
        InstanceIds: [instanceId],
        DocumentName: this.settings.documentName,
        DocumentVersion: this.settings.documentVersion,
        Parameters: Object.fromEntries(Object.entries(parameters).map(([name, value]) => [name, [value]])),
        TimeoutSeconds: DELIVERY_TIMEOUT_SECONDS,
        CloudWatchOutputConfig: { CloudWatchOutputEnabled: true, CloudWatchLogGroupName: this.settings.logGroup },
        Comment: `eni-pbr ${request.parameters.Mode}`,
      }),
    );
    const commandId = sent.Command?.CommandId;
    if (commandId === undefined) throw new Error(`SendCommand returned no CommandId for ${instanceId}`);
    return this.waitFor(commandId, instanceId);
  }

  private async waitFor(CommandId: string, InstanceId: string): Promise<AgentCommandResult> {
    const minDelay = this.settings.pollSeconds ?? DEFAULT_POLL_SECONDS;
    const maxWaitTime = this.settings.commandTimeoutSeconds;
    let final: GetCommandInvocationCommandOutput;
    try {
      // Retries InvocationDoesNotExist (normal right after SendCommand), Pending, InProgress, Delayed.
      const { reason } = await waitUntilCommandExecuted({ client: this.client, maxWaitTime, minDelay, maxDelay: Math.max(minDelay, MAX_POLL_SECONDS) }, { CommandId, InstanceId });
      final = reason as GetCommandInvocationCommandOutput;
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError') {
        await this.cancel(CommandId, InstanceId);
        throw new CommandTimedOutError(CommandId, InstanceId, maxWaitTime, { cause: error });
      }
      // A final status other than Success (Failed, TimedOut, Cancelled): read it whole, once.
      final = await this.client.send(new GetCommandInvocationCommand({ CommandId, InstanceId }));
    }
    const status = final.Status ?? 'Unknown';
    const details = final.StatusDetails ?? status;
    if (status === 'TimedOut' || status === 'Cancelled' || status === 'Cancelling' || NOT_RUN_DETAILS.has(details)) {
      throw new CommandNotRunError(CommandId, InstanceId, status, details);
    }
    return {
      Status: status,
      ResponseCode: final.ResponseCode ?? -1,
      StandardOutputContent: final.StandardOutputContent ?? '',
      StandardErrorContent: final.StandardErrorContent ?? '',
    };
  }

  private async cancel(CommandId: string, InstanceId: string): Promise<void> {
    try {
      await this.client.send(new CancelCommandCommand({ CommandId, InstanceIds: [InstanceId] }));
    } catch {
      // Best effort: the command may have just finished; the timeout error is what the caller needs.
    }
  }
}
