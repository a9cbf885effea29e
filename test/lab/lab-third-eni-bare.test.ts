import { LAB_CLIENT2_IP, LAB_CLIENT_IP, matrixCells } from '../../functions/lab/lab-matrix';
import { PRIMARY_GAP, describeLabScenario } from './lab-scenario';

// No PBR: 10.0.4.77's replies to client 2 take main's connected route 10.0.3.0/24 out of eth1.
describeLabScenario({
  preset: 'bare',
  variant: 'third-eni',
  ifnames: 'enX',
  failingBefore: [...matrixCells(LAB_CLIENT_IP, ['10.0.3.158', '10.0.4.77']), ...matrixCells(LAB_CLIENT2_IP, ['10.0.4.77']), ...PRIMARY_GAP],
});
