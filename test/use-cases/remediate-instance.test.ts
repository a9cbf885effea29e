import { gunzipSync } from 'node:zlib';
import { AgentOutputError } from '../../functions/agent-protocol/agent-output-error';
import { decodeInspectOutput } from '../../functions/agent-protocol/decode-agent-output';
import { InvalidEc2FactsError } from '../../functions/core/ec2/invalid-ec2-facts-error';
import { AgentCommandError } from '../../functions/use-cases/agent-command-error';
import { remediateInstance } from '../../functions/use-cases/remediate-instance';
import { LAB_INSTANCE_ID, agentOf, factsSourceOf, inspectResultOfAfterState, labAnswers, labApplyResult, labInspectResult } from './fake-ports';

const decodePlan = (encoded: string | undefined): string => gunzipSync(Buffer.from(encoded ?? '', 'base64')).toString('utf8');

/** The lab's real inspect output with the (v1, additive) `state` section an issue-14 agent prints. */
function inspectWithState(digest: string, recovered: unknown[] = []) {
  const result = labInspectResult();
  const doc = decodeInspectOutput(result.StandardOutputContent) as Record<string, unknown>;
  return { ...result, StandardOutputContent: JSON.stringify({ ...doc, state: { digest, recovered } }) };
}

describe('remediateInstance', () => {
  it('applies the plan and verifies it against the after-state apply printed, in two round trips', async () => {
    // Prepare
    const facts = factsSourceOf(labAnswers());
    const agent = agentOf({ inspect: labInspectResult(), apply: labApplyResult() });

    // Act
    const report = await remediateInstance({ instanceId: LAB_INSTANCE_ID }, { facts, agent });

    // Assess
    expect(facts.asked).toEqual([LAB_INSTANCE_ID]);
    expect(agent.requests.map((r) => r.parameters.Mode)).toEqual(['inspect', 'apply']);
    expect(decodePlan(agent.requests[1]?.parameters.Plan)).toBe(report.planText);
    expect(report.planText.split('\n')[0]).toBe('eni-pbr-plan 1 tables=20000-20999 prefs=20000-22999');
    expect(report).toMatchObject({ outcome: 'verified', commandRoundTrips: 2, remaining: [], applied: { status: 'applied', operations: report.operations.length } });
    expect(report.findings).toContainEqual(expect.objectContaining({ kind: 'satisfied-by-other', subject: expect.stringContaining('10.0.3.158') }));
    expect(report.operations.map((op) => op.kind)).toContain('connmark-replace');
  });

  it('stops after planning on a dry run and sends no plan', async () => {
    const agent = agentOf({ inspect: labInspectResult() });

    const report = await remediateInstance({ instanceId: LAB_INSTANCE_ID, dryRun: true }, { facts: factsSourceOf(labAnswers()), agent });

    expect(agent.requests.map((r) => r.parameters.Mode)).toEqual(['inspect']);
    expect(report).toMatchObject({ outcome: 'dry-run-pending', applied: null, commandRoundTrips: 1 });
    expect(report.operations.length).toBeGreaterThan(0);
  });

  it('sends nothing when the host already matches, and counts that as verified', async () => {
    const agent = agentOf({ inspect: inspectResultOfAfterState() });

    const report = await remediateInstance({ instanceId: LAB_INSTANCE_ID }, { facts: factsSourceOf(labAnswers()), agent });

    expect(agent.requests).toHaveLength(1);
    expect(report).toMatchObject({ outcome: 'verified', operations: [], applied: null, commandRoundTrips: 1 });
    expect(report.planText).toBe('eni-pbr-plan 1 tables=20000-20999 prefs=20000-22999\n');
  });

  it('reports drift when the after-state still needs operations', async () => {
    // Prepare: an apply that claims success but prints the untouched before-state
    const before = JSON.parse(labInspectResult().StandardOutputContent) as unknown;
    const printed = JSON.parse(labApplyResult().StandardOutputContent) as Record<string, unknown>;
    const apply = { ...labApplyResult(), StandardOutputContent: JSON.stringify({ ...printed, after: before }) };

    const report = await remediateInstance({ instanceId: LAB_INSTANCE_ID }, { facts: factsSourceOf(labAnswers()), agent: agentOf({ inspect: labInspectResult(), apply }) });

    expect(report.outcome).toBe('drift-left');
    expect(report.remaining).toEqual(report.operations);
  });

  it("raises AgentCommandError with the agent's reason when the plan is refused", async () => {
    const refused = {
      Status: 'Failed',
      ResponseCode: 3,
      StandardOutputContent: JSON.stringify({
        schemaVersion: 1,
        mode: 'apply',
        result: { status: 'refused', operations: 0, before: 'a'.repeat(64), after: 'a'.repeat(64), error: 'line 3: unknown MAC' },
        after: null,
      }),
      StandardErrorContent: 'eni-pbr-agent: plan refused\n',
    };

    const run = remediateInstance({ instanceId: LAB_INSTANCE_ID }, { facts: factsSourceOf(labAnswers()), agent: agentOf({ inspect: labInspectResult(), apply: refused }) });

    await expect(run).rejects.toThrow(AgentCommandError);
    await expect(run).rejects.toMatchObject({ mode: 'apply', responseCode: 3, message: expect.stringContaining('refused: line 3: unknown MAC') });
  });

  it('ties the plan to the owned-state digest inspect reported (compare-and-swap)', async () => {
    const digest = 'b'.repeat(64);
    const agent = agentOf({ inspect: inspectWithState(digest), apply: labApplyResult() });

    const report = await remediateInstance({ instanceId: LAB_INSTANCE_ID }, { facts: factsSourceOf(labAnswers()), agent });

    expect(report.planText.split('\n')[0]).toBe(`eni-pbr-plan 1 tables=20000-20999 prefs=20000-22999 state=${digest}`);
    expect(decodePlan(agent.requests[1]?.parameters.Plan)).toBe(report.planText);
  });

  it('reports a plan the host outran as stale — a distinct outcome, not an error to retry at once', async () => {
    const stale = {
      Status: 'Failed',
      ResponseCode: 9,
      StandardOutputContent: JSON.stringify({
        schemaVersion: 1,
        mode: 'apply',
        result: { status: 'stale', operations: 0, before: 'c'.repeat(64), after: 'c'.repeat(64), error: `line 1: the host's owned state is ${'c'.repeat(64)}, the plan was made from ${'b'.repeat(64)}` },
        after: null,
      }),
      StandardErrorContent: '',
    };

    const report = await remediateInstance({ instanceId: LAB_INSTANCE_ID }, { facts: factsSourceOf(labAnswers()), agent: agentOf({ inspect: inspectWithState('b'.repeat(64)), apply: stale }) });

    expect(report).toMatchObject({ outcome: 'stale-plan', applied: { status: 'stale', operations: 0 }, remaining: [], commandRoundTrips: 2 });
  });

  it('still raises AgentCommandError for exit 9 without a stale result', async () => {
    const odd = { Status: 'Failed', ResponseCode: 9, StandardOutputContent: '', StandardErrorContent: 'killed\n' };

    const run = remediateInstance({ instanceId: LAB_INSTANCE_ID }, { facts: factsSourceOf(labAnswers()), agent: agentOf({ inspect: labInspectResult(), apply: odd }) });

    await expect(run).rejects.toThrow(AgentCommandError);
  });

  it('reports an apply the agent found killed and undid, before planning', async () => {
    const agent = agentOf({ inspect: inspectWithState('b'.repeat(64), [{ startedAt: 1_796_000_000, outcome: 'rolled-back', error: null }]) });

    const report = await remediateInstance({ instanceId: LAB_INSTANCE_ID, dryRun: true }, { facts: factsSourceOf(labAnswers()), agent });

    expect(report.findings[0]).toEqual({ kind: 'recovered', subject: 'apply started at 2026-11-30T00:53:20.000Z', detail: expect.stringContaining('undone from its journal') });
  });

  it.each([
    ['times out', { Status: 'TimedOut', ResponseCode: -1, StandardOutputContent: '', StandardErrorContent: '' }],
    ['exits 7 (a tool is missing)', { Status: 'Failed', ResponseCode: 7, StandardOutputContent: '', StandardErrorContent: 'no ip -j\n' }],
  ])('raises AgentCommandError when inspect %s', async (_, inspect) => {
    const agent = agentOf({ inspect });

    const run = remediateInstance({ instanceId: LAB_INSTANCE_ID }, { facts: factsSourceOf(labAnswers()), agent });

    await expect(run).rejects.toMatchObject({ name: 'AgentCommandError', mode: 'inspect', responseCode: inspect.ResponseCode });
  });

  it('raises AgentOutputError when inspect prints something that is not the document', async () => {
    const agent = agentOf({ inspect: { ...labInspectResult(), StandardOutputContent: 'Welcome to Ubuntu\n{' } });

    await expect(remediateInstance({ instanceId: LAB_INSTANCE_ID }, { facts: factsSourceOf(labAnswers()), agent })).rejects.toThrow(AgentOutputError);
  });

  it('rejects invalid EC2 facts before running any command', async () => {
    const answers = labAnswers();
    const hostile = JSON.parse(JSON.stringify(answers.describeNetworkInterfaces).replace('0a:e1:ab:00:00:11', '0a:e1:ab:00:00:11;reboot')) as unknown;
    const agent = agentOf({ inspect: labInspectResult() });

    const run = remediateInstance({ instanceId: LAB_INSTANCE_ID }, { facts: factsSourceOf({ ...answers, describeNetworkInterfaces: hostile }), agent });

    await expect(run).rejects.toThrow(InvalidEc2FactsError);
    expect(agent.requests).toHaveLength(0);
  });

  it('times each step with the clock it is given', async () => {
    let tick = 0;
    const now = (): number => (tick += 10);

    const report = await remediateInstance(
      { instanceId: LAB_INSTANCE_ID },
      { facts: factsSourceOf(labAnswers()), agent: agentOf({ inspect: labInspectResult(), apply: labApplyResult() }), now },
    );

    expect(report.timings).toEqual({ factsMs: 10, inspectMs: 10, planMs: 10, applyMs: 10, verifyMs: 10, totalMs: 50 });
  });
});
