import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { invokeBundled, unzipPackage } from './invoke-bundled';
import { type LoopbackAws, startLoopbackAws } from './loopback-aws';
import { type PackagedService, packagedService } from './packaged-service';
import { resource } from './template';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'eventbridge', `${name}.json`), 'utf8')) as Record<string, unknown>;
const REGION = 'us-east-1'; // the fixtures' Region: the intake rejects events from another one
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

let service: PackagedService;
let loopback: LoopbackAws | undefined;
beforeAll(async () => {
  service = await packagedService();
});
afterEach(async () => {
  await loopback?.close();
  loopback = undefined;
});

/**
 * The function's environment as the template sets it, each CloudFormation reference replaced by the
 * value CloudFormation would give it (names from the template, the queue URL on the loopback endpoint).
 */
function environmentOf(logicalId: string, endpoint: string): Record<string, string> {
  const fn = resource(service.template, logicalId, 'AWS::Lambda::Function').Properties;
  const refs: Record<string, string> = {
    RemediationQueue: `${endpoint}/123456789012/eni-pbr-test-remediation.fifo`,
    AttachmentsTable: 'eni-pbr-test-attachments',
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
function expectPowertoolsJson({ stdout, stderr }: { stdout: string[]; stderr: string[] }): { logs: Record<string, unknown>[] } {
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

describe('the packaged intake (bundled zip, Node 22)', () => {
  it('turns a real AttachNetworkInterface event into one FIFO job for the instance, and logs JSON', async () => {
    // Prepare
    loopback = await startLoopbackAws({
      'dynamodb:PutItem': () => ({}),
      'sqs:SendMessage': (input) => ({ MessageId: '5fea7756-0ea4-451a-a703-a558b933e274', MD5OfMessageBody: md5(String(input.MessageBody)), SequenceNumber: '1' }),
    });
    const task = unzipPackage(join(service.dir, 'intake.zip'));
    // Act
    const output = await invokeBundled(task, 'functions/intake/handler.handler', fixture('attach-network-interface'), environmentOf('IntakeLambdaFunction', loopback.endpoint));
    // Assess
    expect(output.outcome).toEqual({ ok: true, result: expect.anything() });
    const sends = loopback.calls.filter((call) => call.operation === 'SendMessage');
    expect(sends).toHaveLength(1);
    expect(sends[0]?.input).toMatchObject({ MessageGroupId: 'i-0f1e2d3c4b5a69788', MessageDeduplicationId: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(JSON.parse(String(sends[0]?.input.MessageBody))).toMatchObject({ eventId: '3251aba1-4740-49d5-b700-f3115ef00001', instanceId: 'i-0f1e2d3c4b5a69788' });
    expect(loopback.calls.map((call) => `${call.service}:${call.operation}`)).toEqual(['dynamodb:PutItem', 'sqs:SendMessage']);
    expectPowertoolsJson(output);
  });

  it('rejects a malformed event without enqueueing, saying why in a JSON log line', async () => {
    loopback = await startLoopbackAws({});
    const task = unzipPackage(join(service.dir, 'intake.zip'));
    const malformed = { ...fixture('attach-network-interface'), detail: { eventName: 'AttachNetworkInterface', requestParameters: { instanceId: 'i-$(reboot)' } } };
    const output = await invokeBundled(task, 'functions/intake/handler.handler', malformed, environmentOf('IntakeLambdaFunction', loopback.endpoint));
    expect(output.outcome.ok).toBe(true);
    expect(loopback.calls).toEqual([]);
    const { logs } = expectPowertoolsJson(output);
    expect(logs.some((entry) => entry.level === 'WARN' || entry.level === 'ERROR')).toBe(true);
  });
});
