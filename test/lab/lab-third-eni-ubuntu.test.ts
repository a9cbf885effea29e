import { LAB_CLIENT2_IP, LAB_CLIENT_IP, containerToHostCells, matrixCells } from '../../functions/lab/lab-matrix';
import { PRIMARY_GAP, describeLabScenario } from './lab-scenario';

// 10.0.4.77 has a subnet of its own, so client 2 (10.0.3.77) is off-link for it as for the primary:
// cloud-init's table 102 routes its own replies, but the container's go by main, out of eth1. Tables
// 101 and 102 also take the host's replies to the container, from either secondary IP, to the VPC.
describeLabScenario({
  preset: 'ubuntu-24.04',
  variant: 'third-eni',
  ifnames: 'ens',
  failingBefore: [
    ...matrixCells(LAB_CLIENT_IP, ['10.0.3.158', '10.0.4.77'], ['container']),
    ...matrixCells(LAB_CLIENT2_IP, ['10.0.4.77'], ['container']),
    ...containerToHostCells(['10.0.3.158', '10.0.4.77']),
    ...PRIMARY_GAP,
  ],
});
