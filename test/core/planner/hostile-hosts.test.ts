import { parseInspectDocument } from '../../../functions/core/observed/parse-inspect-document';
import { groupByKey } from '../../../functions/core/planner/group-by-key';
import { planRemediation } from '../../../functions/core/planner/plan-remediation';
import { loadFacts, readInspectFixture } from '../helpers/load-fixtures';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- edits of captured ip -j output

// Issue 14: a host can print tens of thousands of identical entries in a few KB of gzip. The planner
// indexes them once (its speed is measured by `npm run bench planner`); here: the plan is the same.
const COPIES = 5_000;

function planWith(edit: (doc: Doc) => void) {
  const doc: Doc = readInspectFixture('ubuntu-docker');
  edit(doc);
  return planRemediation(loadFacts('ubuntu-docker'), parseInspectDocument(doc));
}

describe('the planner on hosts with thousands of identical entries', () => {
  const plain = planWith(() => undefined);

  it('judges cloud-init’s rule repeated 5,000 times as it judges it once', () => {
    const plan = planWith((doc) => {
      const cloudInit = doc.rules4.find((rule: Doc) => rule.table === '101');
      doc.rules4.push(...Array.from({ length: COPIES }, () => cloudInit));
    });
    expect(plan).toEqual(plain);
    expect(plan.findings).toContainEqual(expect.objectContaining({ kind: 'satisfied-by-other', subject: 'rule from 10.0.3.158' }));
  });

  it('names a table’s repeated default route once when it conflicts', () => {
    const plan = planWith((doc) => {
      const route = doc.routes4.find((r: Doc) => r.table === '101' && r.dst === 'default');
      route.gateway = '10.0.3.9';
      doc.routes4.push(...Array.from({ length: COPIES }, () => ({ ...route })));
    });
    const conflict = plan.findings.find((finding) => finding.kind === 'conflict');
    expect(conflict?.detail).toContain('table 101 has via 10.0.3.9 dev enX1;');
  });

  it('plans the same with 5,000 copies of main’s default route', () => {
    const plan = planWith((doc) => {
      const route = doc.routes4.find((r: Doc) => r.table === undefined && r.dst === 'default');
      doc.routes4.push(...Array.from({ length: COPIES }, () => route));
    });
    expect(plan).toEqual(plain);
  });
});

describe('groupByKey', () => {
  it('groups in first-seen order and skips items without a key', () => {
    const groups = groupByKey(['b1', 'a1', 'x', 'b2'], (item) => (item === 'x' ? null : item.slice(0, 1)));
    expect([...groups]).toEqual([['b', ['b1', 'b2']], ['a', ['a1']]]);
  });
});
