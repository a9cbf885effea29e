import { LAB_CLIENT2_IP, LAB_CLIENT_IP, containerToHostCells, matrixCells } from '../../functions/lab/lab-matrix';
import { PRIMARY_GAP, describeLabScenario } from './lab-scenario';

// 10.0.3.160 and the primary's 10.0.1.41 are assigned in EC2 but not on the host: nothing answers there,
// from either client or the container, until eni-pbr adds them. cloud-init's per-IP rules send the host's replies to the container
// from .158 and .159 to the VPC router.
describeLabScenario({
  preset: 'ubuntu-24.04',
  variant: 'secondary-ips',
  ifnames: 'eth',
  failingBefore: [
    ...matrixCells(LAB_CLIENT_IP, ['10.0.3.158', '10.0.3.159'], ['container']),
    ...matrixCells(LAB_CLIENT_IP, ['10.0.1.41', '10.0.3.160']),
    ...matrixCells(LAB_CLIENT2_IP, ['10.0.1.41', '10.0.3.160']),
    ...containerToHostCells(['10.0.1.41', '10.0.3.158', '10.0.3.159', '10.0.3.160']),
    ...PRIMARY_GAP,
  ],
  mustPlan: [{ kind: 'addr-add', cidr: '10.0.3.160/24' }, { kind: 'addr-add', cidr: '10.0.1.41/24' }],
});
