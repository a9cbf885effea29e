import type { NamespaceHost } from './namespace-host';
import { applyPlan, planOf } from './run-agent';

export const ENI_COUNT = 15;
export const IPS_PER_ENI = 50;

/** The plan lines for the largest instance: per ENI 50 addresses, a subnet and a default route in its
 *  own table, one /32 rule per address, a delegated /28 prefix rule, a fwmark rule; one connmark line. */
export function largestInstancePlan(macs: readonly string[]): string {
  const lines: string[] = [];
  let pref = 20000;
  macs.forEach((mac, index) => {
    const eni = index + 1;
    const table = 20000 + eni;
    for (let ip = 10; ip < 10 + IPS_PER_ENI; ip += 1) lines.push(`addr add ${mac} 10.${eni}.0.${ip}/20`);
    lines.push(`route replace 4 ${table} 10.${eni}.0.0/20 dev ${mac}`, `route replace 4 ${table} default via 10.${eni}.0.1 dev ${mac}`);
    for (let ip = 10; ip < 10 + IPS_PER_ENI; ip += 1) lines.push(`rule add 4 ${pref++} from 10.${eni}.0.${ip}/32 table ${table}`);
    lines.push(`rule add 4 ${pref++} from 10.${eni}.8.0/28 table ${table}`);
    lines.push(`rule add 4 ${21000 + eni} fwmark 0x${eni.toString(16)}/0x7f table ${table}`);
  });
  lines.push('sysctl net.ipv4.conf.all.src_valid_mark 1');
  lines.push(`connmark 0x7f ${macs.map((mac, index) => `${mac}=0x${(index + 1).toString(16)}`).join(' ')}`);
  return planOf(...lines);
}

export async function buildLargestInstance(host: NamespaceHost): Promise<void> {
  const { output } = await applyPlan(host.ns, largestInstancePlan(host.macs));
  if (output.result.status !== 'applied') throw new Error(`building the largest instance failed: ${output.result.error}`);
}
