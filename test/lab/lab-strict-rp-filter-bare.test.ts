import { LAB_CLIENT_IP, matrixCells } from '../../functions/lab/lab-matrix';
import { PRIMARY_GAP, describeLabScenario } from './lab-scenario';

// rp_filter=1 and no PBR: as bare base, the strict check adds no failure of its own.
describeLabScenario({ preset: 'bare', variant: 'strict-rp-filter', ifnames: 'enX', failingBefore: [...matrixCells(LAB_CLIENT_IP, ['10.0.3.158']), ...PRIMARY_GAP] });
