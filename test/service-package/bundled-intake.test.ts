import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledFunction, md5 } from './bundled-function';
import { expectPowertoolsJson } from './bundled-output';

const intake = bundledFunction('intake');

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'eventbridge', `${name}.json`), 'utf8')) as Record<string, unknown>;

describe('the packaged intake (bundled zip, Node 22)', () => {
  it('turns a real AttachNetworkInterface event into one FIFO job for the instance, and logs JSON', async () => {
    // Prepare
    const responders = {
      'dynamodb:PutItem': () => ({}),
      'sqs:SendMessage': (input: Record<string, unknown>) => ({ MessageId: '5fea7756-0ea4-451a-a703-a558b933e274', MD5OfMessageBody: md5(String(input.MessageBody)), SequenceNumber: '1' }),
    };
    // Act
    const output = await intake.invoke(fixture('attach-network-interface'), responders);
    // Assess
    expect(output.outcome).toEqual({ ok: true, result: expect.anything() });
    const sends = output.calls.filter((call) => call.operation === 'SendMessage');
    expect(sends).toHaveLength(1);
    expect(sends[0]?.input).toMatchObject({ MessageGroupId: 'i-0f1e2d3c4b5a69788', MessageDeduplicationId: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(JSON.parse(String(sends[0]?.input.MessageBody))).toMatchObject({ eventId: '3251aba1-4740-49d5-b700-f3115ef00001', instanceId: 'i-0f1e2d3c4b5a69788' });
    expect(output.calls.map((call) => `${call.service}:${call.operation}`)).toEqual(['dynamodb:PutItem', 'sqs:SendMessage']);
    expectPowertoolsJson(output);
  });

  it('rejects a malformed event without enqueueing, saying why in a JSON log line', async () => {
    const malformed = { ...fixture('attach-network-interface'), detail: { eventName: 'AttachNetworkInterface', requestParameters: { instanceId: 'i-$(reboot)' } } };
    const output = await intake.invoke(malformed, {});
    expect(output.outcome.ok).toBe(true);
    expect(output.calls).toEqual([]);
    const { logs } = expectPowertoolsJson(output);
    expect(logs.some((entry) => entry.level === 'WARN' || entry.level === 'ERROR')).toBe(true);
  });
});
