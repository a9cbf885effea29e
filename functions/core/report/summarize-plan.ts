import type { Finding } from '../model/finding';
import type { Plan } from '../model/plan';
import type { PlanOperation } from '../model/plan-operation';
import { hex } from '../plan-lines/render-operation';

/** A plan in words, for the CLI report: what will change first, then what was noticed. */
export function summarizePlan(plan: Plan): string[] {
  const changes = plan.operations.length === 0 ? ['nothing to change'] : plan.operations.map(describeOperation);
  return [...changes, ...plan.findings.map(describeFinding)];
}

export function describeOperation(op: PlanOperation): string {
  switch (op.kind) {
    case 'addr-add':
      return `add address ${op.cidr} to ${op.mac}`;
    case 'addr-del':
      return `remove address ${op.cidr} from ${op.mac} (no longer assigned)`;
    case 'link-group':
      return op.group === 0 ? `return ${op.mac} to interface group 0 (default)` : `put ${op.mac} in interface group ${op.group}`;
    case 'route-replace':
      return `table ${op.table}: route ${op.dst}${op.via === undefined ? '' : ` via ${op.via}`} dev ${op.mac}`;
    case 'route-del':
      return `table ${op.table}: remove stale route ${op.dst}`;
    case 'rule-add':
      if ('suppressIfgroup' in op.selector) return `add rule ${op.priority}: ${describeSelector(op.selector)}`;
      return `add rule ${op.priority}: ${describeSelector(op.selector)} → table ${op.table}`;
    case 'rule-del':
      if ('suppressIfgroup' in op.selector) return `remove stale rule ${op.priority}: ${describeSelector(op.selector)}`;
      return `remove stale rule ${op.priority}: ${describeSelector(op.selector)} → table ${op.table}`;
    case 'sysctl-set':
      return `set ${op.key} = ${op.value}`;
    case 'connmark-replace':
      return op.marks.length === 0
        ? 'remove the connection marking (nft table inet eni_pbr)'
        : `mark connections by ENI: ${op.marks.map((entry) => `${entry.mac}=${hex(entry.mark)}`).join(', ')} under mask ${hex(op.mask)}`;
  }
}

function describeSelector(selector: Extract<PlanOperation, { kind: 'rule-add' | 'rule-del' }>['selector']): string {
  if ('from' in selector) return selector.localOnly ? `from ${selector.from} sent by the host` : `from ${selector.from}`;
  if ('fwmark' in selector) return `fwmark ${hex(selector.fwmark)}/${hex(selector.mask)}`;
  if ('suppressIfgroup' in selector) return `table main decides unless its route leaves by an ENI (interface group ${selector.suppressIfgroup})`;
  // Deletions name the interface as observed: it may be gone, or it may simply be no longer marked.
  return 'iifMac' in selector ? `arriving on ${selector.iifMac}` : `arriving on ${selector.iifName}`;
}

export function describeFinding(finding: Finding): string {
  const who = finding.manager === undefined ? '' : ` by ${finding.manager}`;
  const eni = finding.eniId === undefined ? '' : `${finding.eniId}: `;
  const label = finding.kind === 'satisfied-by-other' ? `satisfied${who}` : `${finding.kind}${who}`;
  return `${eni}${finding.subject} — ${label}: ${finding.detail}`;
}
