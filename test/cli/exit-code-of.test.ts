import { z } from 'zod';
import { AgentOutputError } from '../../functions/agent-protocol/agent-output-error';
import { InvalidInputError, UsageError } from '../../functions/cli/cli-errors';
import { describeError, exitCodeOf } from '../../functions/cli/exit-code-of';
import { EXIT } from '../../functions/cli/exit-codes';
import { InvalidEc2FactsError } from '../../functions/core/ec2/invalid-ec2-facts-error';
import { InvalidInspectDocumentError } from '../../functions/core/observed/invalid-inspect-document-error';
import { InvalidPlanOptionsError } from '../../functions/core/planner/invalid-plan-options-error';
import { AgentCommandError } from '../../functions/use-cases/agent-command-error';

const agentFailed = new AgentCommandError('agent apply failed', { mode: 'apply', status: 'Failed', responseCode: 5, stderr: 'rolled back: RTNETLINK answers: File exists\n' });

describe('exitCodeOf', () => {
  it.each([
    ['a usage error', new UsageError('unknown command'), EXIT.usage],
    ['an unreadable input file', new InvalidInputError('cannot read enis.json'), EXIT.invalidInput],
    ['invalid EC2 facts', new InvalidEc2FactsError('bad MAC'), EXIT.invalidInput],
    ['invalid plan options', new InvalidPlanOptionsError('mask not contiguous'), EXIT.invalidInput],
    ['a failed agent command', agentFailed, EXIT.agentFailure],
    ['undecodable agent output', new AgentOutputError('not JSON'), EXIT.agentFailure],
    ['an inspect document the core refuses', new InvalidInspectDocumentError('schemaVersion 2'), EXIT.agentFailure],
    ['anything else', new TypeError('x is undefined'), EXIT.internal],
  ])('maps %s to its exit code', (_, error, code) => {
    expect(exitCodeOf(error)).toBe(code);
  });

  it('keeps the documented codes distinct', () => {
    expect(new Set(Object.values(EXIT)).size).toBe(Object.keys(EXIT).length);
  });
});

describe('describeError', () => {
  it('keeps the path of every schema issue instead of the first line of zod’s JSON', () => {
    const shape = z.object({ links: z.array(z.object({ ifname: z.string() })) }).safeParse({ links: [{ ifname: 'lo' }, { ifname: 7 }] });
    if (shape.success) throw new Error('the sample should not parse');
    const text = describeError(new InvalidInspectDocumentError('inspect document has an unexpected shape', { cause: shape.error }));

    expect(text).toMatch(/^ {2}caused by: links\[1\]\.ifname: Invalid input: expected string, received number$/m);
    expect(text).not.toContain('caused by: [');
  });


  it("says what failed, why, and what the agent wrote on stderr", () => {
    const text = describeError(new AgentCommandError('agent apply failed', { mode: 'apply', status: 'Failed', responseCode: 5, stderr: agentFailed.stderr }, { cause: new Error('exit 5') }));

    expect(text).toBe('eni-pbr: agent apply failed\n  caused by: exit 5\nagent stderr:\nrolled back: RTNETLINK answers: File exists\n');
  });
});
