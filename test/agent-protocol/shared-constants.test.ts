/**
 * One set of constants: what the shipped agent declares (read from its text) and what the TypeScript side
 * holds (functions/core/defaults.ts, the plan grammar, the local runner) must be the same numbers.
 */
import { STDOUT_LIMIT_CHARS } from '../../functions/adapters/local-runner/command-invocation-result';
import { AGENT_PRIORITY_WINDOW, AGENT_TABLE_WINDOW, IFNAME_MAX_CHARS, OWN_LABEL_SUFFIX, OWN_LINK_GROUP, OWN_PROTOCOL } from '../../functions/core/defaults';
import { PLAN_LINE_MAX_CHARS } from '../../functions/core/plan-lines/parse-operation-line';
import { PLAN_MAX_LINES } from '../../functions/core/plan-lines/parse-plan-lines';
import { IFNAME_PATTERN } from '../../functions/core/validation/field-validators';
import { agentConstants, planProgramVariables } from './agent-constants';

const agent = agentConstants();
const number = (name: string): number => Number(agent.get(name) ?? NaN);

describe('the constants the agent and the TypeScript side share', () => {
  it.each<[string, string, number]>([
    ['the protocol number of routes and rules', 'OWN_PROTO', OWN_PROTOCOL],
    ['the ENI links\' interface group', 'LINK_GROUP', OWN_LINK_GROUP],
    ['the lowest table the agent accepts', 'TABLE_WINDOW_MIN', AGENT_TABLE_WINDOW.min],
    ['the highest table the agent accepts', 'TABLE_WINDOW_MAX', AGENT_TABLE_WINDOW.max],
    ['the lowest rule priority the agent accepts', 'PREF_WINDOW_MIN', AGENT_PRIORITY_WINDOW.min],
    ['the highest rule priority the agent accepts', 'PREF_WINDOW_MAX', AGENT_PRIORITY_WINDOW.max],
    ['the lines a plan may have', 'PLAN_MAX_LINES', PLAN_MAX_LINES],
    ['the characters a plan line may have', 'PLAN_LINE_MAX', PLAN_LINE_MAX_CHARS],
    ['the longest interface name', 'IFNAME_MAX', IFNAME_MAX_CHARS],
    ['the stdout GetCommandInvocation keeps', 'OUTPUT_MAX', STDOUT_LIMIT_CHARS],
  ])('%s: %s', (_what, name, typescript) => {
    expect(number(name)).toBe(typescript);
  });

  it('labels its addresses as the core recognises them', () => {
    expect(agent.get('LABEL_SUFFIX')).toBe(OWN_LABEL_SUFFIX);
  });

  it('validates interface names to the length the core does', () => {
    expect(IFNAME_PATTERN.source).toContain(`{1,${number('IFNAME_MAX')}}`);
  });

  it('hands its plan program these constants, and only declared ones', () => {
    const variables = planProgramVariables();

    expect(variables).toEqual(expect.arrayContaining([`PROTO=${OWN_PROTOCOL}`, `GROUP=${OWN_LINK_GROUP}`, `TWMIN=${AGENT_TABLE_WINDOW.min}`, `PWMAX=${AGENT_PRIORITY_WINDOW.max}`, `LINEMAX=${PLAN_LINE_MAX_CHARS}`]));
  });
});
