import { LAB_CLIENT2_IP, LAB_CLIENT_IP, matrixCells } from '../../functions/lab/lab-matrix';
import { PRIMARY_GAP, describeLabScenario } from './lab-scenario';

// Two ENIs in 10.0.3.0/24 and no per-IP rules: .200's replies leave through eth1 (main's connected
// route) even toward client 2 in its own subnet.
describeLabScenario({
  preset: 'bare',
  variant: 'shared-subnet',
  ifnames: 'eth',
  failingBefore: [...matrixCells(LAB_CLIENT_IP, ['10.0.3.158', '10.0.3.200']), ...matrixCells(LAB_CLIENT2_IP, ['10.0.3.200']), ...PRIMARY_GAP],
});
