import { planRemediation } from '../../../functions/core/planner/plan-remediation';
import { summarizePlan } from '../../../functions/core/report/summarize-plan';
import { applyPlan } from '../helpers/apply-plan';
import { loadFacts, loadObserved } from '../helpers/load-fixtures';

describe('summarizePlan', () => {
  it('says what changes on the article’s host and that cloud-init already routes 10.0.3.158', () => {
    // Prepare
    const plan = planRemediation(loadFacts('ubuntu-docker'), loadObserved('ubuntu-docker'));
    // Act
    const lines = summarizePlan(plan);
    // Assess
    expect(lines).toEqual([
      'put 0a:ff:00:01:00:28 in interface group 224',
      'put 0a:ff:00:03:00:9e in interface group 224',
      'table 20000: route 10.0.3.0/24 via 10.0.1.1 dev 0a:ff:00:01:00:28',
      'table 20001: route 10.0.3.0/24 dev 0a:ff:00:03:00:9e',
      'table 20001: route default via 10.0.3.1 dev 0a:ff:00:03:00:9e',
      'add rule 20999: table main decides unless its route leaves by an ENI (interface group 224)',
      'add rule 20000: arriving on 0a:ff:00:01:00:28 → table main',
      'add rule 20001: arriving on 0a:ff:00:03:00:9e → table main',
      'add rule 21000: fwmark 0x1/0x7f → table 20000',
      'add rule 21001: fwmark 0x2/0x7f → table 20001',
      'add rule 22000: from 10.0.1.0/24 sent by the host → table 20000',
      'set net.ipv4.conf.all.src_valid_mark = 1',
      'mark connections by ENI: 0a:ff:00:01:00:28=0x1, 0a:ff:00:03:00:9e=0x2 under mask 0x7f',
      'eni-0a0000000000000e1: rule from 10.0.3.158 — satisfied by cloud-init: pref 32765 lookup 101',
    ]);
  });

  it('says there is nothing to change, and why, on a host ec2-net-utils routes once the primary has its table', () => {
    const facts = loadFacts('ec2-net-utils');
    const host = applyPlan(loadObserved('ec2-net-utils'), planRemediation(facts, loadObserved('ec2-net-utils')).operations);
    const lines = summarizePlan(planRemediation(facts, host));
    expect(lines[0]).toBe('nothing to change');
    expect(lines.slice(1)).toEqual([
      'eni-0e6000000000000a6: rule from 10.0.2.20 — satisfied by ec2-net-utils: pref 10001 lookup 10001',
      'eni-0e6000000000000a6: rule from 10.0.2.21 — satisfied by ec2-net-utils: pref 10001 lookup 10001',
    ]);
  });

  it('names removals as stale and the detached interface by name', () => {
    const lines = summarizePlan(planRemediation(loadFacts('detached'), loadObserved('detached')));
    expect(lines).toContain('remove stale rule 20002: arriving on ens7 → table main');
    expect(lines).toContain('remove stale rule 22002: from 10.0.3.0/24 sent by the host → table 20002');
  });
});
