import { gzipSync } from 'node:zlib';
import { AgentOutputError, AgentOutputTooLargeError, decodeApplyOutput, decodeInspectOutput } from '../../functions/agent-protocol/decode-agent-output';

const envelope = (doc: unknown): string =>
  JSON.stringify({ schemaVersion: 1, encoding: 'gzip+base64', payload: gzipSync(JSON.stringify(doc)).toString('base64') });
const digest = 'a'.repeat(64);
const inspectDoc = { schemaVersion: 1, agentVersion: '0.1.0', links: [] };

describe('decodeInspectOutput', () => {
  it('returns a plain document as it is', () => {
    expect(decodeInspectOutput(`${JSON.stringify(inspectDoc)}\n`)).toEqual(inspectDoc);
  });

  it('unwraps the gzip+base64 envelope', () => {
    expect(decodeInspectOutput(envelope(inspectDoc))).toEqual(inspectDoc);
  });

  it.each([
    ['empty output', ''],
    ['output cut at 24,000 characters', `{"schemaVersion":1,"links":[${'1,'.repeat(12_000)}`],
    ['an unknown encoding', JSON.stringify({ schemaVersion: 1, encoding: 'zstd', payload: 'AAAA' })],
    ['a payload that is not base64', JSON.stringify({ schemaVersion: 1, encoding: 'gzip+base64', payload: '$(id)' })],
    ['a payload that is not gzip', JSON.stringify({ schemaVersion: 1, encoding: 'gzip+base64', payload: 'AAAA' })],
    ['a payload that is not JSON', JSON.stringify({ schemaVersion: 1, encoding: 'gzip+base64', payload: gzipSync('nope').toString('base64') })],
  ])('throws AgentOutputError on %s', (_name, stdout) => {
    expect(() => decodeInspectOutput(stdout)).toThrow(AgentOutputError);
  });

  it('throws AgentOutputTooLargeError, with the sizes, when the agent left the document out', () => {
    const stdout = '{"schemaVersion":1,"tooLarge":{"chars":44122,"limit":24000}}\n';

    expect(() => decodeInspectOutput(stdout)).toThrow(AgentOutputTooLargeError);
    expect(() => decodeInspectOutput(stdout)).toThrow('the inspect document takes 44122 characters; stdout keeps 24000');
  });

  it('keeps the parse error as the cause', () => {
    let caught: unknown;
    try {
      decodeInspectOutput('garbage');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AgentOutputError);
    expect((caught as Error).cause).toBeInstanceOf(SyntaxError);
  });
});

describe('decodeApplyOutput', () => {
  const result = { status: 'applied', operations: 12, before: digest, after: 'b'.repeat(64), error: null };

  it('returns the result and the unwrapped inspect document', () => {
    const output = decodeApplyOutput(JSON.stringify({ schemaVersion: 1, mode: 'apply', result, after: JSON.parse(envelope(inspectDoc)) }));

    expect(output).toEqual({ result, after: inspectDoc });
  });

  it('reads the size the agent printed in place of an after-inspect past the stdout limit', () => {
    const stdout = JSON.stringify({ schemaVersion: 1, mode: 'apply', result, after: null, afterTooLarge: { chars: 44122, limit: 24000 } });

    expect(decodeApplyOutput(stdout)).toEqual({ result, after: null, afterTooLarge: { chars: 44122, limit: 24000 } });
  });

  it('throws AgentOutputError on a malformed size note', () => {
    const stdout = JSON.stringify({ schemaVersion: 1, mode: 'apply', result, after: null, afterTooLarge: { chars: 'many' } });

    expect(() => decodeApplyOutput(stdout)).toThrow(AgentOutputError);
  });

  it('keeps a refusal with its message and no inspect document', () => {
    const refused = { ...result, status: 'refused', operations: 0, after: digest, error: 'line 2: unknown operation' };

    expect(decodeApplyOutput(JSON.stringify({ schemaVersion: 1, mode: 'apply', result: refused, after: null }))).toEqual({ result: refused, after: null });
  });

  it.each([
    ['an inspect document', JSON.stringify(inspectDoc)],
    ['an unknown status', JSON.stringify({ schemaVersion: 1, mode: 'apply', result: { ...result, status: 'done' }, after: null })],
    ['a negative count', JSON.stringify({ schemaVersion: 1, mode: 'apply', result: { ...result, operations: -1 }, after: null })],
    ['a short digest', JSON.stringify({ schemaVersion: 1, mode: 'apply', result: { ...result, before: 'abc' }, after: null })],
    ['a numeric error', JSON.stringify({ schemaVersion: 1, mode: 'apply', result: { ...result, error: 5 }, after: null })],
    ['another schema version', JSON.stringify({ schemaVersion: 2, mode: 'apply', result, after: null })],
  ])('throws AgentOutputError on %s', (_name, stdout) => {
    expect(() => decodeApplyOutput(stdout)).toThrow(AgentOutputError);
  });
});
