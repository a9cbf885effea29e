import { parseOwnIptables } from '../../../functions/core/observed/parse-own-iptables';
import { InvalidValueError } from '../../../functions/core/validation/invalid-value-error';

const MAC = '02:00:00:00:5c:02';
const restore = (chain: string, mark: string): string =>
  `-A ${chain} -m connmark --mark ${mark}/0x7f -m comment --comment "eni-pbr restore ${mark}/0x7f" -j MARK --set-xmark ${mark}/0x7f`;
const marking = (ifname: string, mac: string, mark: string): string =>
  `-A ENI_PBR_PRE -i ${ifname} -m conntrack --ctstate NEW -m comment --comment "eni-pbr in ${mac} ${mark}/0x7f" -j CONNMARK --set-xmark ${mark}/0x7f`;
// What the agent leaves (docs/agent-protocol.md "iptables hosts"), as iptables-save prints it.
const written = [
  ':ENI_PBR_OUT - [0:0]', ':ENI_PBR_PRE - [0:0]', '-A PREROUTING -j ENI_PBR_PRE', '-A OUTPUT -j ENI_PBR_OUT',
  restore('ENI_PBR_OUT', '0x2'), marking('eth2', MAC, '0x2'), restore('ENI_PBR_PRE', '0x2'),
];

describe('parseOwnIptables', () => {
  it('reads the chains the agent writes as an intact marking set', () => {
    expect(parseOwnIptables(written)).toEqual({ mask: 0x7f, marks: [{ mac: MAC, ifname: 'eth2', mark: 0x2 }], intact: true });
  });

  it.each([null, undefined, []])('reads %p as no marking', (lines) => {
    expect(parseOwnIptables(lines)).toBeNull();
  });

  it.each([
    ['without the PREROUTING jump', written.filter((line) => line !== '-A PREROUTING -j ENI_PBR_PRE')],
    ['without the OUTPUT restore', written.filter((line) => !line.startsWith('-A ENI_PBR_OUT -m connmark'))],
    ['with a rule the agent never writes', [...written, '-A ENI_PBR_PRE -j ACCEPT']],
    ['with a marking rule whose value differs from its comment', [...written.slice(0, 5), marking('eth2', MAC, '0x2').replace('--set-xmark 0x2', '--set-xmark 0x3'), written[6] ?? '']],
    ['with two masks', [...written, restore('ENI_PBR_PRE', '0x3').replace(/0x7f/g, '0x3f')]],
    ['with a line over 4,096 characters (the agent never writes one)', [...written, `-A ENI_PBR_PRE ${'x'.repeat(5000)}`]],
  ])('says a set %s is not intact, so it is replaced', (_what, lines) => {
    expect(parseOwnIptables(lines)?.intact).toBe(false);
  });

  it.each([
    ['a command in the interface name', marking('$(reboot)', MAC, '0x2')],
  ])('refuses %s', (_what, line) => {
    expect(() => parseOwnIptables([...written, line])).toThrow(InvalidValueError);
  });
});
