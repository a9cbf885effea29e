import { describeLabScenario } from './lab-scenario';

// The article: cloud-init's rule serves the host's own sockets on 10.0.3.158, but the container's
// replies are routed before SNAT, from 172.17.0.2, out of the primary ENI, and the VPC drops them.
describeLabScenario({ preset: 'ubuntu-24.04', variant: 'base', ifnames: 'enX', failingBefore: ['10.0.3.158 container'] });

// Ubuntu 22.04-era: no PBR at all, so nothing answers on the second ENI.
describeLabScenario({ preset: 'bare', variant: 'base', ifnames: 'eth', failingBefore: ['10.0.3.158 ping', '10.0.3.158 host', '10.0.3.158 container'] });
