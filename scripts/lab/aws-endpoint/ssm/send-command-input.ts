import { assertCommandFitsQuota, CommandTooLargeError } from '../../../../functions/agent-protocol/ssm-size-budget';
import type { AgentParameters } from '../../../../functions/adapters/local-runner/substitute-parameters';
import { ParameterValidationError, resolveParameters } from '../../../../functions/adapters/local-runner/substitute-parameters';
import type { AgentDocument } from '../../../../functions/agent-protocol/agent-document';
import { AwsError, requireString, validationError } from '../aws-error';

const MAX_INSTANCE_IDS = 50; // SendCommand's InstanceIds: 0–50 items
const INSTANCE_ID = /^(i-(\w{8}|\w{17})|mi-\w{17})$/;
const MIN_TIMEOUT_SECONDS = 30; // the delivery timeout's range
const MAX_TIMEOUT_SECONDS = 2_592_000;

export interface SendCommandRequest {
  readonly documentName: string;
  readonly documentVersion: string | undefined;
  readonly instanceIds: readonly string[];
  readonly parameters: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly cloudWatchOutputConfig: unknown;
}

/** SendCommand's input checks, in the order SSM applies them (shape first, then the document's own rules). */
export function parseSendCommand(input: Record<string, unknown>): SendCommandRequest {
  const documentName = requireString(input, 'DocumentName');
  const instanceIds = input.InstanceIds;
  if (input.Targets !== undefined) throw validationError('Targets are not emulated: give InstanceIds');
  if (!Array.isArray(instanceIds) || instanceIds.length === 0) throw validationError("1 validation error detected: Value null at 'instanceIds' failed to satisfy constraint: Member must not be null");
  if (instanceIds.length > MAX_INSTANCE_IDS) {
    throw validationError(`1 validation error detected: Value '[${instanceIds.join(', ')}]' at 'instanceIds' failed to satisfy constraint: Member must have length less than or equal to ${MAX_INSTANCE_IDS}`);
  }
  const bad = instanceIds.find((id) => typeof id !== 'string' || !INSTANCE_ID.test(id));
  if (bad !== undefined) throw new AwsError('InvalidInstanceId', `Invalid instance id ${String(bad)}`);
  const timeoutSeconds = input.TimeoutSeconds === undefined ? 3600 : Number(input.TimeoutSeconds);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < MIN_TIMEOUT_SECONDS || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
    throw validationError(`1 validation error detected: Value '${String(input.TimeoutSeconds)}' at 'timeoutSeconds' failed to satisfy constraint: Member must have value between ${MIN_TIMEOUT_SECONDS} and ${MAX_TIMEOUT_SECONDS}`);
  }
  const parameters: Record<string, string> = {};
  for (const [name, values] of Object.entries((input.Parameters ?? {}) as Record<string, unknown>)) {
    if (!Array.isArray(values) || values.some((value) => typeof value !== 'string')) throw new AwsError('InvalidParameters', `parameter ${name} must be a list of strings`);
    parameters[name] = values.join(',');
  }
  return {
    documentName,
    documentVersion: typeof input.DocumentVersion === 'string' ? input.DocumentVersion : undefined,
    instanceIds: instanceIds as string[],
    parameters,
    timeoutSeconds,
    cloudWatchOutputConfig: input.CloudWatchOutputConfig,
  };
}

/** The document's parameter rules and SSM's 64 KB quota (document + runtime parameters): MaxDocumentSizeExceeded. */
export function checkAgainstDocument(request: SendCommandRequest, content: string, document: AgentDocument): AgentParameters {
  const unknown = Object.keys(request.parameters).find((name) => !(name in document.parameters));
  if (unknown !== undefined) throw new AwsError('InvalidParameters', `Parameter "${unknown}" is not defined in the document.`);
  try {
    assertCommandFitsQuota(Buffer.byteLength(content, 'utf8'), request.parameters);
    resolveParameters(document, request.parameters as AgentParameters);
  } catch (error) {
    if (error instanceof CommandTooLargeError) throw new AwsError('MaxDocumentSizeExceeded', error.message);
    if (error instanceof ParameterValidationError) throw new AwsError('InvalidParameters', error.message);
    throw error;
  }
  return request.parameters as AgentParameters;
}
