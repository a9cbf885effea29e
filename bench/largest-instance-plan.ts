// The plan the agent-apply bench applies and the ssm-size bench measures: 15 ENIs x 50 IPv4 (addresses,
// a table each with its subnet and default route, one rule per address, fwmark rules, connmark).
import type { PlanOperation } from '../functions/core/model/plan-operation';
import { renderPlanLines } from '../functions/core/plan-lines/render-plan-lines';

export const ENIS = 15;
export const IPS = 50;
export const macOf = (eni: number): string => `02:00:00:00:77:${eni.toString(16).padStart(2, '0')}`;

function largestInstanceOperations(): PlanOperation[] {
  const ops: PlanOperation[] = [];
  let priority = 20000;
  for (let eni = 1; eni <= ENIS; eni += 1) {
    const mac = macOf(eni);
    const table = 20000 + eni;
    for (let ip = 10; ip < 10 + IPS; ip += 1) ops.push({ kind: 'addr-add', mac, cidr: `10.${eni}.0.${ip}/20` });
    ops.push({ kind: 'route-replace', family: 4, table, dst: `10.${eni}.0.0/20`, mac });
    ops.push({ kind: 'route-replace', family: 4, table, dst: 'default', via: `10.${eni}.0.1`, mac });
    for (let ip = 10; ip < 10 + IPS; ip += 1) ops.push({ kind: 'rule-add', family: 4, priority: priority++, selector: { from: `10.${eni}.0.${ip}/32` }, table });
    ops.push({ kind: 'rule-add', family: 4, priority: 21000 + eni, selector: { fwmark: eni, mask: 0x7f }, table });
  }
  ops.push({ kind: 'sysctl-set', key: 'net.ipv4.conf.all.src_valid_mark', value: 1 });
  ops.push({ kind: 'connmark-replace', mask: 0x7f, marks: Array.from({ length: ENIS }, (_, i) => ({ mac: macOf(i + 1), mark: i + 1 })) });
  return ops;
}

/** The plan text, header first, as the planner sends it. */
export function largestInstancePlanText(): string {
  return renderPlanLines(largestInstanceOperations());
}
