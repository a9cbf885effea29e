import { readFileSync } from 'node:fs';
import { ipRules, linkGroups } from '../../functions/lab/lab-kernel';
import type { LabInfo } from '../../functions/lab/lab-options';

// The planner's rule ahead of its bands: main decides unless its route leaves by an ENI (group 224).
const SUPPRESS_RULE = /^20999:\s+from all lookup main suppress_ifgroup 224\b/;

/** Which links are in eni-pbr's group 224, and which of the instance's rules mention suppress_ifgroup. */
export async function mainKeptOffEnis(lab: LabInfo): Promise<{ inGroup224: string[]; suppressRules: string[] }> {
  const links = await linkGroups(lab.instanceNs);
  return {
    inGroup224: links.filter((link) => link.group === '224').map((link) => link.mac).sort(),
    suppressRules: (await ipRules(lab.instanceNs)).filter((rule) => rule.includes('suppress_ifgroup')),
  };
}

/** The ENIs' MACs, as EC2 lists them in the lab's describe-network-interfaces.json. */
function eniMacs(lab: LabInfo): string[] {
  const { NetworkInterfaces } = JSON.parse(readFileSync(lab.enisFile, 'utf8')) as { NetworkInterfaces: { MacAddress: string }[] };
  return NetworkInterfaces.map((eni) => eni.MacAddress).sort();
}

export async function expectMainKeptOffEnis(lab: LabInfo): Promise<void> {
  const { inGroup224, suppressRules } = await mainKeptOffEnis(lab);

  // Every ENI link, and only those: docker0 and the container's veth stay in the default group.
  expect(inGroup224).toEqual(eniMacs(lab));
  expect(suppressRules).toEqual([expect.stringMatching(SUPPRESS_RULE)]);
}
