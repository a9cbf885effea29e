import { runDocumentLocally } from '../../../../functions/adapters/local-runner/run-document-locally';
import type { AgentParameters } from '../../../../functions/adapters/local-runner/substitute-parameters';
import type { AgentDocument } from '../../../../functions/agent-protocol/agent-document';
import type { CommandInvocation } from './command-invocation';

/**
 * Runs one invocation the way the SSM Agent would: the document's shell step as root in the instance
 * (its lab namespace), through the project's local runner; the invocation moves InProgress → Success,
 * Failed, TimedOut (the step's timeoutSeconds) or Cancelled.
 */
export async function executeInvocation(invocation: CommandInvocation, netns: string, document: AgentDocument, parameters: AgentParameters): Promise<void> {
  invocation.status = 'InProgress';
  invocation.statusDetails = 'InProgress';
  invocation.startedAt = new Date();
  try {
    const result = await runDocumentLocally({ netns, parameters, document, signal: invocation.abort.signal });
    invocation.stdout = result.StandardOutputContent;
    invocation.stderr = result.StandardErrorContent;
    invocation.responseCode = result.ResponseCode;
    if (invocation.abort.signal.aborted) {
      invocation.status = 'Cancelled';
      invocation.statusDetails = 'Cancelled';
    } else {
      invocation.status = result.Status;
      invocation.statusDetails = result.Status === 'TimedOut' ? 'Execution Timed Out' : result.Status;
    }
  } catch (error) {
    // The agent could not start the script at all: SSM reports that as a failed plugin.
    invocation.status = 'Failed';
    invocation.statusDetails = 'Failed';
    invocation.responseCode = 1;
    invocation.stderr = `failed to run commands: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    invocation.endedAt = new Date();
  }
}
