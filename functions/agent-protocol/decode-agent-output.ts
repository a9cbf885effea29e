import { gunzipSync } from 'node:zlib';
import { AgentOutputError, AgentOutputTooLargeError } from './agent-output-error';
import { APPLY_STATUSES, type ApplyOutput, type ApplyStatus, type OutputSize } from './apply-output';

export type { ApplyOutput, ApplyResult, ApplyStatus, OutputSize } from './apply-output';
export { AgentOutputError, AgentOutputTooLargeError } from './agent-output-error';

/** Past this the payload is not an inspect document: refuse instead of inflating a gzip bomb. */
const MAX_INFLATED_BYTES = 16 * 1024 * 1024;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** `agent inspect`'s stdout → the inspect document (the gzip+base64 envelope unwrapped). */
export function decodeInspectOutput(stdout: string): unknown {
  const parsed = parseJson(stdout, 'inspect output');
  const tooLarge = isRecord(parsed) ? outputSize(parsed.tooLarge) : undefined;
  if (tooLarge) throw new AgentOutputTooLargeError('the inspect document', tooLarge.chars, tooLarge.limit);
  return unwrapEnvelope(parsed);
}

/** `agent apply`'s stdout → its result and the inspect document taken after applying. */
export function decodeApplyOutput(stdout: string): ApplyOutput {
  const parsed = parseJson(stdout, 'apply output');
  if (!isRecord(parsed) || parsed.schemaVersion !== 1 || parsed.mode !== 'apply') {
    throw new AgentOutputError('apply output is not a schemaVersion 1 apply result');
  }
  const result = parsed.result;
  if (!isRecord(result)) throw new AgentOutputError('apply output has no result object');
  const { status, operations, before, after, error } = result;
  if (typeof status !== 'string' || !(APPLY_STATUSES as readonly string[]).includes(status)) {
    throw new AgentOutputError(`apply output has an unknown status: ${String(status)}`);
  }
  if (typeof operations !== 'number' || !Number.isInteger(operations) || operations < 0) {
    throw new AgentOutputError('apply output has no operation count');
  }
  for (const digest of [before, after]) {
    if (typeof digest !== 'string' || !SHA256_HEX.test(digest)) throw new AgentOutputError('apply output has a malformed digest');
  }
  if (error !== null && typeof error !== 'string') throw new AgentOutputError('apply output error is neither null nor text');
  const afterTooLarge = outputSize(parsed.afterTooLarge);
  return {
    result: { status: status as ApplyStatus, operations, before: before as string, after: after as string, error: error as string | null },
    after: parsed.after === null || parsed.after === undefined ? null : unwrapEnvelope(parsed.after),
    ...(afterTooLarge ? { afterTooLarge } : {}),
  };
}

/** The agent's {"chars":N,"limit":M} in place of a document past the stdout limit; undefined when absent. */
function outputSize(value: unknown): OutputSize | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value) || !Number.isInteger(value.chars) || !Number.isInteger(value.limit)) {
    throw new AgentOutputError('the agent\'s "too large" note is malformed');
  }
  return { chars: value.chars as number, limit: value.limit as number };
}

function unwrapEnvelope(value: unknown): unknown {
  if (!isRecord(value) || value.encoding === undefined) return value;
  if (value.encoding !== 'gzip+base64' || typeof value.payload !== 'string') {
    throw new AgentOutputError(`unknown envelope encoding: ${String(value.encoding)}`);
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value.payload)) throw new AgentOutputError('envelope payload is not base64');
  let inflated: Buffer;
  try {
    inflated = gunzipSync(Buffer.from(value.payload, 'base64'), { maxOutputLength: MAX_INFLATED_BYTES });
  } catch (cause) {
    throw new AgentOutputError('envelope payload does not inflate', { cause });
  }
  return parseJson(inflated.toString('utf8'), 'envelope payload');
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    // GetCommandInvocation cuts stdout at 24,000 characters: say so, it is the likely reason.
    const hint = text.length >= 24_000 ? ' (cut at 24,000 characters?)' : '';
    throw new AgentOutputError(`${what} is not JSON${hint}`, { cause });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
