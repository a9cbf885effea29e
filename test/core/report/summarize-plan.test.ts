import { planRemediation } from '../../../functions/core/planner/plan-remediation';
import { summarizePlan } from '../../../functions/core/report/summarize-plan';
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
      'table 20001: route 10.0.3.0/24 dev 0a:ff:00:03:00:9e',
      'table 20001: route default via 10.0.3.1 dev 0a:ff:00:03:00:9e',
      'add rule 20999: table main decides unless its route leaves by an ENI (interface group 224)',
      'add rule 20001: arriving on 0a:ff:00:03:00:9e → table main',
      'add rule 21001: fwmark 0x2/0x7f → table 20001',
      'set net.ipv4.conf.all.src_valid_mark = 1',
      'mark connections by ENI: 0a:ff:00:03:00:9e=0x2 under mask 0x7f',
      'eni-0a0000000000000e1: rule from 10.0.3.158 — satisfied by cloud-init: pref 32765 lookup 101',
      "eni-0a0000000000000e0: primary 10.0.1.40 — warning: clients in 10.0.3.0/24 cannot reach it: its replies take main's connected route out of a secondary ENI and the source/dest check drops them; enable managePrimary (--manage-primary)",
    ]);
  });

  it('says there is nothing to change, and why, on a host ec2-net-utils already routes', () => {
    const lines = summarizePlan(planRemediation(loadFacts('ec2-net-utils'), loadObserved('ec2-net-utils')));
    expect(lines[0]).toBe('nothing to change');
    expect(lines.slice(1)).toEqual([
      'eni-0e6000000000000a6: rule from 10.0.2.20 — satisfied by ec2-net-utils: pref 10001 lookup 10001',
      'eni-0e6000000000000a6: rule from 10.0.2.21 — satisfied by ec2-net-utils: pref 10001 lookup 10001',
      "eni-0e5000000000000a5: primary 10.0.1.10 — warning: clients in 10.0.2.0/24 cannot reach it: its replies take main's connected route out of a secondary ENI and the source/dest check drops them; enable managePrimary (--manage-primary)",
    ]);
  });

  it('names removals as stale and the detached interface by name', () => {
    const lines = summarizePlan(planRemediation(loadFacts('detached'), loadObserved('detached')));
    expect(lines).toContain('remove stale rule 20002: arriving on ens7 → table main');
    expect(lines).toContain('remove stale rule 22002: from 10.0.3.0/24 sent by the host → table 20002');
  });
});
