import { lab } from './lab-driver';

// Moving a link and a few `ip`/`nft` calls take milliseconds; this only stops a wedged kernel.
const HOTPLUG_TIMEOUT_MS = 30_000;

/**
 * The kernel side of EC2's changes on a lab booted with fewer ENIs (lab.sh attach/detach/assign/unassign,
 * lib/hotplug.sh): what a hot-plugged NIC and the VPC do, never what eni-pbr must do on the host.
 */
export const labHotplug = {
  attach: (name: string, eniIndex: number) => lab(['attach', '--name', name, '--eni', String(eniIndex)], HOTPLUG_TIMEOUT_MS),
  detach: (name: string, eniIndex: number) => lab(['detach', '--name', name, '--eni', String(eniIndex)], HOTPLUG_TIMEOUT_MS),
  assign: (name: string, eniIndex: number, ip: string) => lab(['assign', '--name', name, '--eni', String(eniIndex), '--ip', ip], HOTPLUG_TIMEOUT_MS),
  unassign: (name: string, eniIndex: number, ip: string) => lab(['unassign', '--name', name, '--eni', String(eniIndex), '--ip', ip], HOTPLUG_TIMEOUT_MS),
};
