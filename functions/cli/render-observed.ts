import type { ObservedHost, ObservedRoute } from '../core/model/observed-host';

// Kernel-managed tables say nothing about PBR and would bury the rest.
const HIDDEN_TABLES = new Set(['local']);

/** The readable `eni-pbr inspect`: the pieces the planner reads, in ip(8)'s own words where possible. */
export function renderObserved(host: ObservedHost, netns: string): string {
  const out: string[] = [`host ${host.hostname} (netns ${netns})`, '', 'links:'];
  for (const link of host.links) {
    const role = link.isBridge ? ' bridge' : link.master === undefined ? '' : ` master ${link.master}`;
    const addresses = host.addresses.filter((a) => a.ifname === link.ifname).map((a) => `${a.local}/${a.prefixlen}${a.label && a.label !== link.ifname ? ` (${a.label})` : ''}`);
    out.push(`  ${link.ifname.padEnd(16)} ${(link.mac || '-').padEnd(17)} ${link.operstate.padEnd(7)}${role} ${addresses.join(' ')}`.trimEnd());
  }
  out.push('', 'rules:');
  for (const rule of [...host.rules].sort((a, b) => a.family - b.family || a.priority - b.priority)) {
    const selector = [
      rule.src === undefined ? 'from all' : `from ${rule.src}`,
      rule.iif === undefined ? '' : `iif ${rule.iif}${rule.iifDetached ? ' [detached]' : ''}`,
      rule.fwmark === undefined ? '' : `fwmark 0x${rule.fwmark.toString(16)}/0x${(rule.fwmask ?? 0xffffffff).toString(16)}`,
      rule.suppressPrefixlength === undefined ? '' : `suppress_prefixlength ${rule.suppressPrefixlength}`,
      rule.other ? '[+ selectors eni-pbr does not model]' : '',
    ].filter((part) => part !== '');
    out.push(`  v${rule.family} ${String(rule.priority).padStart(5)}: ${selector.join(' ')} lookup ${rule.table}${rule.protocol ? ` proto ${rule.protocol}` : ''}`);
  }
  out.push('', 'routes:');
  for (const route of host.routes.filter((r) => !HIDDEN_TABLES.has(r.table))) out.push(`  ${renderRoute(route)}`);
  const fw = host.firewall;
  const own = fw.ownConnmark === null ? 'absent' : `mask 0x${fw.ownConnmark.mask.toString(16)}, ${fw.ownConnmark.marks.map((m) => `${m.ifname}=0x${m.mark.toString(16)}`).join(' ')}`;
  out.push(
    '',
    `firewall: backend ${fw.backend}, masquerade ${yes(fw.masquerade)}, dnat ${yes(fw.dnat)}, foreign mark bits 0x${fw.foreignMarkBits.toString(16)}`,
    `  table inet eni_pbr: ${own}`,
    `sysctl: ip_forward ${host.sysctls.ipForward ? 1 : 0}, src_valid_mark ${host.sysctls.srcValidMark ? 1 : 0}, rp_filter ${Object.entries(host.sysctls.rpFilter)
      .map(([name, value]) => `${name}=${value}`)
      .join(' ')}`,
    `managers: ${Object.entries(host.managers)
      .filter(([, present]) => present)
      .map(([name]) => name)
      .join(', ') || 'none found'}`,
  );
  return `${out.join('\n')}\n`;
}

function renderRoute(route: ObservedRoute): string {
  const parts = [`v${route.family}`, `table ${route.table}`, route.type && route.type !== 'unicast' ? route.type : '', route.dst];
  if (route.gateway !== undefined) parts.push(`via ${route.gateway}`);
  if (route.dev !== undefined) parts.push(`dev ${route.dev}`);
  if (route.protocol !== undefined) parts.push(`proto ${route.protocol}`);
  if (route.scope !== undefined && route.scope !== 'global') parts.push(`scope ${route.scope}`);
  return parts.filter((part) => part !== '').join(' ');
}

function yes(value: boolean): string {
  return value ? 'yes' : 'no';
}
