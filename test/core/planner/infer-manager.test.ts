import type { ObservedManagers } from '../../../functions/core/model/observed-host';
import { inferManager } from '../../../functions/core/planner/infer-manager';

const none: ObservedManagers = {
  cloudInitHotplug: false, netplan: false, ec2NetUtils: false, nmCloudSetup: false, networkManager: false, systemdNetworkd: false, vpcCni: false,
};

describe('inferManager', () => {
  it.each([
    { table: '101', managers: { ...none, cloudInitHotplug: true }, protocol: undefined, expected: 'cloud-init' },
    { table: '101', managers: { ...none, netplan: true }, protocol: 'boot', expected: 'cloud-init' },
    { table: '101', managers: none, protocol: 'static', expected: 'cloud-init' },
    { table: '101', managers: none, protocol: 'boot', expected: 'unknown' },
    { table: '250', managers: none, protocol: 'static', expected: 'unknown' },
    { table: '10001', managers: { ...none, ec2NetUtils: true }, protocol: undefined, expected: 'ec2-net-utils' },
    { table: '10001', managers: none, protocol: 'static', expected: 'unknown' },
    { table: '30400', managers: { ...none, nmCloudSetup: true }, protocol: undefined, expected: 'nm-cloud-setup' },
    { table: '2', managers: { ...none, vpcCni: true }, protocol: undefined, expected: 'vpc-cni' },
    { table: 'custom', managers: { ...none, cloudInitHotplug: true }, protocol: 'static', expected: 'unknown' },
  ])('table $table, protocol $protocol → $expected', ({ table, managers, protocol, expected }) => {
    expect(inferManager(table, managers, protocol)).toBe(expected);
  });
});
