import { LAB_CLIENT2_IP, LAB_CLIENT_IP, containerToHostCells, matrixCells } from '../../functions/lab/lab-matrix';
import { PRIMARY_GAP, describeLabScenario } from './lab-scenario';

// No PBR, and 10.0.3.160 and the primary's 10.0.1.41 (assigned in EC2) not on the host: client 2 reaches
// only the configured addresses of its own subnet, through main's connected route, and the container
// only the configured ones.
describeLabScenario({
  preset: 'bare',
  variant: 'secondary-ips',
  ifnames: 'ens',
  failingBefore: [
    ...matrixCells(LAB_CLIENT_IP, ['10.0.1.41', '10.0.3.158', '10.0.3.159', '10.0.3.160']),
    ...matrixCells(LAB_CLIENT2_IP, ['10.0.1.41', '10.0.3.160']),
    ...containerToHostCells(['10.0.1.41', '10.0.3.160']),
    ...PRIMARY_GAP,
  ],
  mustPlan: [{ kind: 'addr-add', cidr: '10.0.3.160/24' }, { kind: 'addr-add', cidr: '10.0.1.41/24' }],
});
