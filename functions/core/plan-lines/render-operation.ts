import type { PlanOperation, RuleDelSelector, RuleSelector } from '../model/plan-operation';

export const hex = (value: number): string => `0x${(value >>> 0).toString(16)}`;

/** One operation in its line form (docs/agent-protocol.md). Validity is checked by parsing the line back. */
export function renderOperation(op: PlanOperation): string {
  switch (op.kind) {
    case 'addr-add':
      return `addr add ${op.mac} ${op.cidr}`;
    case 'addr-del':
      return `addr del ${op.mac} ${op.cidr}`;
    case 'link-group':
      return `link group ${op.mac} ${op.group}`;
    case 'route-replace':
      return op.via === undefined
        ? `route replace ${op.family} ${op.table} ${op.dst} dev ${op.mac}`
        : `route replace ${op.family} ${op.table} ${op.dst} via ${op.via} dev ${op.mac}`;
    case 'route-del':
      return `route del ${op.family} ${op.table} ${op.dst}`;
    case 'rule-add':
      return `rule add ${op.family} ${op.priority} ${renderSelector(op.selector)} table ${op.table}`;
    case 'rule-del':
      return `rule del ${op.family} ${op.priority} ${renderSelector(op.selector)} table ${op.table}`;
    case 'sysctl-set':
      return `sysctl ${op.key} ${op.value}`;
    case 'connmark-replace':
      return [`connmark ${hex(op.mask)}`, ...op.marks.map((entry) => `${entry.mac}=${hex(entry.mark)}`)].join(' ');
  }
}

function renderSelector(selector: RuleSelector | RuleDelSelector): string {
  if ('from' in selector) return selector.localOnly ? `from ${selector.from} iif lo` : `from ${selector.from}`;
  if ('fwmark' in selector) return `fwmark ${hex(selector.fwmark)}/${hex(selector.mask)}`;
  if ('iifMac' in selector) return `iif ${selector.iifMac}`;
  if ('suppressIfgroup' in selector) return `suppress-ifgroup ${selector.suppressIfgroup}`;
  return `iifname ${selector.iifName}`;
}
