import { LAB_CLIENT_IP, containerToHostCells, matrixCells } from '../../functions/lab/lab-matrix';
import { PRIMARY_GAP, describeLabScenario } from './lab-scenario';

// rp_filter=1: the reverse-path check runs after DNAT, with the container as source (kernel fact (a)).
describeLabScenario({
  preset: 'ubuntu-24.04',
  variant: 'strict-rp-filter',
  ifnames: 'ens',
  failingBefore: [...matrixCells(LAB_CLIENT_IP, ['10.0.3.158'], ['container']), ...containerToHostCells(['10.0.3.158']), ...PRIMARY_GAP],
});
