import { renderReport } from '../../functions/cli/render-report';
import { remediateInstance } from '../../functions/use-cases/remediate-instance';
import { LAB_INSTANCE_ID, agentOf, factsSourceOf, inspectResultOfAfterState, labAnswers, labApplyResult, labInspectResult } from '../use-cases/fake-ports';

const pinnedClock = (): (() => number) => {
  let tick = 0;
  return () => (tick += 1);
};

describe('renderReport', () => {
  it('says what it found, what others satisfy, what it changed, and that it verified', async () => {
    const report = await remediateInstance(
      { instanceId: LAB_INSTANCE_ID },
      { facts: factsSourceOf(labAnswers()), agent: agentOf({ inspect: labInspectResult(), apply: labApplyResult() }), now: pinnedClock() },
    );

    const text = renderReport(report, 'lab-inst');

    expect(text).toMatch(/^eni-pbr remediate i-0e1ab00000000a1b2 \(host \S+, netns lab-inst\)$/m);
    expect(text).toMatch(/found missing:\n {2}put 0a:e1:ab:00:00:10 in interface group 224\n {2}put 0a:e1:ab:00:00:11 in interface group 224\n {2}table 20000: route 10\.0\.3\.0\/24 via 10\.0\.1\.1 dev 0a:e1:ab:00:00:10\n/);
    expect(text).toMatch(/already satisfied by others:\n {2}eni-0e1ab000000000002: rule from 10\.0\.3\.158 — satisfied/);
    expect(text).toMatch(/changed \(13 operations, agent: applied\):\n {2}link group 0a:e1:ab:00:00:10 224\n {2}link group 0a:e1:ab:00:00:11 224\n {2}route replace 4 20000 10\.0\.3\.0\/24 via 10\.0\.1\.1 dev 0a:e1:ab:00:00:10\n/);
    expect(text).toContain('\n  connmark 0x7f 0a:e1:ab:00:00:10=0x1 0a:e1:ab:00:00:11=0x2\n');
    expect(text).toContain('\nverified: a re-plan of the state after apply is empty\n');
    expect(text).toMatch(/took 5 ms \(.*\), 2 command round trips\n$/);
  });

  it('says a dry run changed nothing, and a clean host was sent nothing', async () => {
    const dry = await remediateInstance({ instanceId: LAB_INSTANCE_ID, dryRun: true }, { facts: factsSourceOf(labAnswers()), agent: agentOf({ inspect: labInspectResult() }) });
    const clean = await remediateInstance({ instanceId: LAB_INSTANCE_ID }, { facts: factsSourceOf(labAnswers()), agent: agentOf({ inspect: inspectResultOfAfterState() }) });

    expect(renderReport(dry, 'x')).toMatch(/would send \(13 plan lines, nothing changed\):[\s\S]*dry run: changes are pending \(exit 1\)/);
    expect(renderReport(clean, 'x')).toMatch(/changed:\n {2}\(none\)\n\nverified: nothing was missing, nothing was sent\n/);
  });
});
