import { describeLabScenario } from './lab-scenario';

// Two ENIs in 10.0.3.0/24: main's connected route picks one of them, so without per-IP rules the other
// one's replies leave through the wrong ENI even toward its own subnet.
describeLabScenario({ preset: 'ubuntu-24.04', variant: 'shared-subnet', ifnames: 'enX', failingBefore: ['10.0.3.158 container', '10.0.3.200 container'] });

describeLabScenario({
  preset: 'bare',
  variant: 'shared-subnet',
  ifnames: 'eth',
  failingBefore: ['10.0.3.158 ping', '10.0.3.158 host', '10.0.3.158 container', '10.0.3.200 ping', '10.0.3.200 host', '10.0.3.200 container'],
});
