import type { PackagedService } from './packaged-service';
import { resource } from './template';

export const REGION = 'us-east-1'; // the fixtures' Region: the intake rejects events from another one

/**
 * The function's environment as the template sets it, each CloudFormation reference replaced by the
 * value CloudFormation would give it (names from the template, the queue URL on the loopback endpoint).
 */
export function environmentOf(service: PackagedService, logicalId: string, endpoint: string): Record<string, string> {
  const fn = resource(service.template, logicalId, 'AWS::Lambda::Function').Properties;
  const refs: Record<string, string> = {
    RemediationQueue: `${endpoint}/123456789012/eni-pbr-test-remediation.fifo`,
    AttachmentsTable: 'eni-pbr-test-attachments',
    PendingRemovalsTable: 'eni-pbr-test-pending-removals',
    AgentDocument: 'eni-pbr-agent-test',
    AgentOutputLogGroup: '/eni-pbr/test/agent-output',
  };
  const variables = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
  const resolved = Object.fromEntries(Object.entries(variables).map(([name, value]) => {
    if (typeof value === 'string') return [name, value];
    const ref = (value as { Ref?: string }).Ref ?? '';
    if (!(ref in refs)) throw new Error(`${name}: no test value for ${JSON.stringify(value)}`);
    return [name, refs[ref] as string];
  }));
  return { ...resolved, AWS_REGION: REGION, AWS_DEFAULT_REGION: REGION, AWS_LAMBDA_FUNCTION_NAME: fn.FunctionName as string, AWS_ENDPOINT_URL: endpoint };
}

/** Powertools Metrics' one plain-text notice, printed when an invocation recorded no metric. */
const EMPTY_METRICS_NOTICE = /^No application metrics to publish/;

/**
 * The function's output is Powertools JSON: every stdout line (INFO logs, EMF metrics) and every stderr
 * line (WARN/ERROR logs) but Metrics' empty-metrics notice. A crash, a `Dynamic require` or an X-Ray
 * error would be a plain line and fail here.
 */
export function expectPowertoolsJson({ stdout, stderr }: { stdout: string[]; stderr: string[] }): { logs: Record<string, unknown>[] } {
  const lines = [...stdout, ...stderr.filter((line) => !EMPTY_METRICS_NOTICE.test(line))];
  const parsed = lines.map((line) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`not a JSON log line: ${line}`);
    }
  });
  const logs = parsed.filter((entry) => !('_aws' in entry));
  expect(logs.length).toBeGreaterThan(0);
  for (const entry of logs) expect(entry).toMatchObject({ level: expect.any(String), message: expect.any(String), service: 'eni-pbr', timestamp: expect.any(String) });
  return { logs };
}
