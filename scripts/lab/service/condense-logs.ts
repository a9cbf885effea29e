import type { EndpointCall } from '../aws-endpoint/aws-endpoint';
import type { InvocationRecord } from '../lambda-harness/lambda-environment';
import { accessKeyOf } from './deploy-template';

// Powertools' standard keys: the same on every line, so the condensed form leaves them out.
const STANDARD_KEYS = new Set(['level', 'message', 'timestamp', 'service', 'cold_start', 'function_arn', 'function_memory_size', 'function_name', 'function_request_id', 'sampling_rate', 'xray_trace_id', 'correlation_id']);
const MAX_VALUE_CHARS = 90;

function short(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** One log line: `LEVEL message key=value …`; an EMF document: `metrics Name=value …`; anything else verbatim. */
export function condenseLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const emf = entry._aws as { CloudWatchMetrics?: { Metrics: { Name: string }[] }[] } | undefined;
  if (emf !== undefined) {
    const names = (emf.CloudWatchMetrics ?? []).flatMap((group) => group.Metrics.map((metric) => metric.Name));
    return `metrics ${names.map((name) => `${name}=${short(entry[name])}`).join(' ')}`;
  }
  const fields = Object.entries(entry).filter(([key]) => !STANDARD_KEYS.has(key));
  return [`${String(entry.level ?? '')} ${String(entry.message ?? '')}`, ...fields.map(([key, value]) => `${key}=${short(value)}`)].join('  ');
}

/** The invocation's lines, condensed, under a header naming the function and what the invocation cost. */
export function condenseInvocation(record: InvocationRecord): string[] {
  const cold = record.coldStartMs === undefined ? '' : `, cold start ${(record.coldStartMs / 1000).toFixed(1)} s`;
  const outcome = record.outcome.ok ? '' : ` → ${record.outcome.error?.name}: ${record.outcome.error?.message}`;
  const header = `  [${record.functionKey}] ${((record.endedAt - record.startedAt) / 1000).toFixed(1)} s${cold}${outcome}`;
  return [header, ...record.lines.filter((line) => !line.startsWith('No application metrics')).map((line) => `      ${condenseLine(line)}`)];
}

/** `service:Operation×n` per function, in first-call order; failed calls carry their error code. */
export function callsByFunction(calls: readonly EndpointCall[], functionKeys: readonly string[]): Map<string, string[]> {
  const byFunction = new Map<string, Map<string, number>>();
  for (const call of calls) {
    const key = functionKeys.find((fn) => accessKeyOf(fn) === call.caller);
    if (key === undefined) continue;
    const counts = byFunction.get(key) ?? new Map<string, number>();
    const name = `${call.service}:${call.operation}${call.error ? `(${call.error})` : ''}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
    byFunction.set(key, counts);
  }
  return new Map([...byFunction].map(([key, counts]) => [key, [...counts].map(([name, n]) => (n > 1 ? `${name}×${n}` : name))]));
}
