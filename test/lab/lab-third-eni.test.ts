import { describeLabScenario } from './lab-scenario';

describeLabScenario({ preset: 'ubuntu-24.04', variant: 'third-eni', ifnames: 'ens', failingBefore: ['10.0.3.158 container', '10.0.4.77 container'] });

describeLabScenario({
  preset: 'bare',
  variant: 'third-eni',
  ifnames: 'enX',
  failingBefore: ['10.0.3.158 ping', '10.0.3.158 host', '10.0.3.158 container', '10.0.4.77 ping', '10.0.4.77 host', '10.0.4.77 container'],
});
