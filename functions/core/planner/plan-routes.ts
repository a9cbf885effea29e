import type { DesiredState } from '../model/desired-state';
import type { ObservedHost } from '../model/observed-host';
import type { PlanOperation } from '../model/plan-operation';
import type { PlanOptions } from '../model/plan-options';
import type { Finding } from '../model/finding';
import { groupByKey } from './group-by-key';
import { isInOwnTable, isOwnedRoute } from './ownership';

type RouteReplace = Extract<PlanOperation, { kind: 'route-replace' }>;
type RouteDel = Extract<PlanOperation, { kind: 'route-del' }>;

const routeKey = (family: number, table: number | string, dst: string): string => `${family}|${table}|${dst}`;

/**
 * Routes of eni-pbr's tables: replace what is missing or different (subnet before default), delete the
 * rest. A right route someone else put in those tables counts (replacing it would change nothing the
 * agent compares); a wrong one is replaced; one not wanted is deleted only if it carries protocol 224,
 * the only routes the agent's `route del … proto 224` can match.
 */
export function planRoutes(desired: DesiredState, observed: ObservedHost, options: PlanOptions): { replaces: RouteReplace[]; dels: RouteDel[]; findings: Finding[] } {
  const owned = groupByKey(observed.routes, (route) => (isInOwnTable(route, options) ? routeKey(route.family, route.table, route.dst) : null));
  const replaces: RouteReplace[] = [];
  const wanted = new Set<string>();
  for (const eni of desired.enis) {
    for (const route of eni.routes) {
      const key = routeKey(route.family, eni.table, route.dst);
      wanted.add(key);
      const matches = (owned.get(key) ?? []).some((seen) => seen.dev === eni.ifname && seen.gateway === route.via && seen.type === 'unicast');
      if (!matches) {
        replaces.push({ kind: 'route-replace', family: route.family, table: eni.table, dst: route.dst, ...(route.via === undefined ? {} : { via: route.via }), mac: eni.mac });
      }
    }
  }
  const kept = new Set((desired.kept?.tables ?? []).map(String));
  const dels: RouteDel[] = [];
  const findings: Finding[] = [];
  for (const [key, routes] of owned) {
    const first = routes[0];
    if (wanted.has(key) || first === undefined || kept.has(first.table)) continue;
    // One `ip route del` removes one route: delete as many times as the table holds it.
    for (const route of routes) {
      if (isOwnedRoute(route, options)) {
        dels.push({ kind: 'route-del', family: route.family, table: Number(route.table), dst: route.dst });
      } else {
        const detail = `in eni-pbr’s table range without protocol 224 (protocol ${route.protocol ?? 'unspec'}): not eni-pbr’s, left alone`;
        findings.push({ kind: 'warning', subject: `route ${route.dst} table ${route.table}`, detail });
      }
    }
  }
  return { replaces, dels, findings };
}
