import type { ObservedLink } from '../../../functions/core/model/observed-host';
import { resolveInterface } from '../../../functions/core/planner/resolve-interface';
import { loadFacts, loadObserved } from '../helpers/load-fixtures';

const ENS6 = '0a:1b:00:00:00:02';
const eni = loadFacts('bare-two').enis.find((candidate) => candidate.macAddress === ENS6);
const host = loadObserved('bare-two');
const withLinks = (change: (links: ObservedLink[]) => ObservedLink[]) => ({ ...host, links: change([...host.links]) });
const ens6 = host.links.find((link) => link.mac === ENS6) as ObservedLink;

describe('resolveInterface', () => {
  it.each([
    ['finds the one link carrying the MAC', withLinks((links) => links), { ifname: 'ens6' }],
    ['passes over a bridge port and its bridge: the addresses are on neither ENI link', withLinks((links) => [
      ...links.map((link) => (link.mac === ENS6 ? { ...link, master: 'br0' } : link)),
      { ...ens6, ifindex: 70, ifname: 'br0', isBridge: true },
    ]), null],
    ['resolves a bond, not its slave', withLinks((links) => [
      ...links.map((link) => (link.mac === ENS6 ? { ...link, master: 'bond0' } : link)),
      { ...ens6, ifindex: 71, ifname: 'bond0' },
    ]), { ifname: 'bond0' }],
    ['refuses two links with the MAC', withLinks((links) => [...links, { ...ens6, ifindex: 72, ifname: 'mv0' }]), null],
  ])('%s', (_what, observed, expected) => {
    if (eni === undefined) throw new Error('fixture lost its second ENI');
    const resolved = resolveInterface(eni, observed);
    if (expected === null) expect(resolved).toEqual({ finding: expect.objectContaining({ kind: 'interface-not-found' }) });
    else expect(resolved).toEqual(expected);
  });
});
