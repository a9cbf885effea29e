import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { environmentOf, expectPowertoolsJson } from './bundled-output';
import { invokeBundled, unzipPackage } from './invoke-bundled';
import { type LoopbackAws, startLoopbackAws } from './loopback-aws';
import { type PackagedService, PACKAGING_TIMEOUT_MS, packagedService } from './packaged-service';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

let service: PackagedService;
let loopback: LoopbackAws | undefined;
beforeAll(async () => {
  service = await packagedService();
}, PACKAGING_TIMEOUT_MS);
afterEach(async () => {
  await loopback?.close();
  loopback = undefined;
});

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'eventbridge', `${name}.json`), 'utf8')) as Record<string, unknown>;

describe('the packaged intake (bundled zip, Node 22)', () => {
  it('turns a real AttachNetworkInterface event into one FIFO job for the instance, and logs JSON', async () => {
    // Prepare
    loopback = await startLoopbackAws({
      'dynamodb:PutItem': () => ({}),
      'sqs:SendMessage': (input) => ({ MessageId: '5fea7756-0ea4-451a-a703-a558b933e274', MD5OfMessageBody: md5(String(input.MessageBody)), SequenceNumber: '1' }),
    });
    const task = unzipPackage(join(service.dir, 'intake.zip'));
    // Act
    const output = await invokeBundled(task, 'functions/intake/handler.handler', fixture('attach-network-interface'), environmentOf(service, 'IntakeLambdaFunction', loopback.endpoint));
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
    const output = await invokeBundled(task, 'functions/intake/handler.handler', malformed, environmentOf(service, 'IntakeLambdaFunction', loopback.endpoint));
    expect(output.outcome.ok).toBe(true);
    expect(loopback.calls).toEqual([]);
    const { logs } = expectPowertoolsJson(output);
    expect(logs.some((entry) => entry.level === 'WARN' || entry.level === 'ERROR')).toBe(true);
  });
});
