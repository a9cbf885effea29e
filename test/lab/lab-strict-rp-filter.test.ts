import { describeLabScenario } from './lab-scenario';

// rp_filter=1: the reverse-path check runs after DNAT, with the container as source (kernel fact (a)).
describeLabScenario({ preset: 'ubuntu-24.04', variant: 'strict-rp-filter', ifnames: 'ens', failingBefore: ['10.0.3.158 container'] });

describeLabScenario({ preset: 'bare', variant: 'strict-rp-filter', ifnames: 'enX', failingBefore: ['10.0.3.158 ping', '10.0.3.158 host', '10.0.3.158 container'] });
