/** One command on one instance, with the fields GetCommandInvocation / ListCommandInvocations report. */
export type InvocationStatus = 'Pending' | 'InProgress' | 'Success' | 'Failed' | 'TimedOut' | 'Cancelled' | 'Cancelling';

export interface CommandInvocation {
  readonly commandId: string;
  readonly instanceId: string;
  readonly documentName: string;
  readonly documentVersion: number;
  readonly pluginName: string;
  readonly requestedAt: Date;
  /** SSM makes the invocation readable shortly after SendCommand: before this, InvocationDoesNotExist */
  readonly visibleAt: number;
  status: InvocationStatus;
  statusDetails: string;
  responseCode: number;
  stdout: string;
  stderr: string;
  startedAt?: Date;
  endedAt?: Date;
  readonly abort: AbortController;
}

/** GetCommandInvocation returns at most this much of each stream; ListCommandInvocations' plugin Output 2,500. */
export const STDOUT_CUT = 24_000;
export const STDERR_CUT = 8_000;
export const LIST_OUTPUT_CUT = 2_500;

export function isFinished(status: InvocationStatus): boolean {
  return status === 'Success' || status === 'Failed' || status === 'TimedOut' || status === 'Cancelled';
}

export function getCommandInvocationOutput(invocation: CommandInvocation, cloudWatchOutputConfig: unknown): Record<string, unknown> {
  const elapsed = invocation.startedAt && invocation.endedAt ? (invocation.endedAt.getTime() - invocation.startedAt.getTime()) / 1000 : 0;
  return {
    CommandId: invocation.commandId,
    InstanceId: invocation.instanceId,
    Comment: '',
    DocumentName: invocation.documentName,
    DocumentVersion: String(invocation.documentVersion),
    PluginName: invocation.pluginName,
    ResponseCode: invocation.responseCode,
    ExecutionStartDateTime: invocation.startedAt?.toISOString() ?? '',
    ExecutionElapsedTime: `PT${elapsed.toFixed(3)}S`,
    ExecutionEndDateTime: invocation.endedAt?.toISOString() ?? '',
    Status: invocation.status,
    StatusDetails: invocation.statusDetails,
    StandardOutputContent: invocation.stdout.slice(0, STDOUT_CUT),
    StandardOutputUrl: '',
    StandardErrorContent: invocation.stderr.slice(0, STDERR_CUT),
    StandardErrorUrl: '',
    CloudWatchOutputConfig: cloudWatchOutputConfig ?? { CloudWatchOutputEnabled: false },
  };
}

export function listInvocationOutput(invocation: CommandInvocation, details: boolean): Record<string, unknown> {
  return {
    CommandId: invocation.commandId,
    InstanceId: invocation.instanceId,
    DocumentName: invocation.documentName,
    DocumentVersion: String(invocation.documentVersion),
    RequestedDateTime: invocation.requestedAt.getTime() / 1000,
    Status: invocation.status,
    StatusDetails: invocation.statusDetails,
    ...(details
      ? {
          CommandPlugins: [
            {
              Name: invocation.pluginName,
              Status: invocation.status,
              StatusDetails: invocation.statusDetails,
              ResponseCode: invocation.responseCode,
              Output: `${invocation.stdout}${invocation.stderr === '' ? '' : `\n----------ERROR-------\n${invocation.stderr}`}`.slice(0, LIST_OUTPUT_CUT),
            },
          ],
        }
      : {}),
  };
}
