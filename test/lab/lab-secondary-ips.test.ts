import { describeLabScenario } from './lab-scenario';

// 10.0.3.160 is assigned in EC2 but not on the host: nothing answers there until eni-pbr adds it.
const missingAddress = { kind: 'addr-add', cidr: '10.0.3.160/24' };

describeLabScenario({
  preset: 'ubuntu-24.04',
  variant: 'secondary-ips',
  ifnames: 'eth',
  failingBefore: ['10.0.3.158 container', '10.0.3.159 container', '10.0.3.160 ping', '10.0.3.160 host', '10.0.3.160 container'],
  mustPlan: missingAddress,
});

describeLabScenario({
  preset: 'bare',
  variant: 'secondary-ips',
  ifnames: 'ens',
  failingBefore: ['158', '159', '160'].flatMap((host) => ['ping', 'host', 'container'].map((probe) => `10.0.3.${host} ${probe}`)),
  mustPlan: missingAddress,
});
