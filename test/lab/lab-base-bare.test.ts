import { LAB_CLIENT_IP, matrixCells } from '../../functions/lab/lab-matrix';
import { PRIMARY_GAP, describeLabScenario } from './lab-scenario';

// Ubuntu 22.04-era: no PBR at all, so nothing answers on the second ENI from another subnet; the
// container reaches the host on every address (main routes the replies back to docker0).
describeLabScenario({ preset: 'bare', variant: 'base', ifnames: 'eth', failingBefore: [...matrixCells(LAB_CLIENT_IP, ['10.0.3.158']), ...PRIMARY_GAP] });
