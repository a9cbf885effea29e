import { LAB_CLIENT_IP, containerToHostCells, matrixCells } from '../../functions/lab/lab-matrix';
import { PRIMARY_GAP, describeLabScenario } from './lab-scenario';

// The article: cloud-init's rule serves the host's own sockets on 10.0.3.158, but the container's
// replies are routed before SNAT, from 172.17.0.2, out of the primary ENI, and the VPC drops them.
// The same rule sends the host's replies to its own container (a call to 10.0.3.158:8080) to table 101's
// default route, to the VPC router. Client 2, in 10.0.3.158's subnet, reaches it through main's
// connected route, but not the primary.
describeLabScenario({
  preset: 'ubuntu-24.04',
  variant: 'base',
  ifnames: 'enX',
  failingBefore: [...matrixCells(LAB_CLIENT_IP, ['10.0.3.158'], ['container']), ...containerToHostCells(['10.0.3.158']), ...PRIMARY_GAP],
});
