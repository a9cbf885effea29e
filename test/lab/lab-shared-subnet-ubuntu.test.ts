import { LAB_CLIENT2_IP, LAB_CLIENT_IP, containerToHostCells, matrixCells } from '../../functions/lab/lab-matrix';
import { PRIMARY_GAP, describeLabScenario } from './lab-scenario';

// Two ENIs in 10.0.3.0/24: main's connected route picks one of them (eth1). cloud-init's rule serves
// .200's own sockets, but the container's replies are routed by main before un-DNAT, out of eth1, even
// toward client 2 in their own subnet; and the host's replies to the container from either secondary
// IP follow cloud-init's tables to the VPC router.
describeLabScenario({
  preset: 'ubuntu-24.04',
  variant: 'shared-subnet',
  ifnames: 'enX',
  failingBefore: [
    ...matrixCells(LAB_CLIENT_IP, ['10.0.3.158', '10.0.3.200'], ['container']),
    ...matrixCells(LAB_CLIENT2_IP, ['10.0.3.200'], ['container']),
    ...containerToHostCells(['10.0.3.158', '10.0.3.200']),
    ...PRIMARY_GAP,
  ],
});
