import type { DesiredState } from '../model/desired-state';
import type { ObservedHost, ObservedRoute } from '../model/observed-host';
import type { PlanOperation } from '../model/plan-operation';
import type { PlanOptions } from '../model/plan-options';
import { isOwnedRoute } from './ownership';

type RouteReplace = Extract<PlanOperation, { kind: 'route-replace' }>;
type RouteDel = Extract<PlanOperation, { kind: 'route-del' }>;

const routeKey = (family: number, table: number | string, dst: string): string => `${family}|${table}|${dst}`;

/** Routes of eni-pbr's tables: replace what is missing or different (subnet before default), delete the rest. */
export function planRoutes(desired: DesiredState, observed: ObservedHost, options: PlanOptions): { replaces: RouteReplace[]; dels: RouteDel[] } {
  const owned = new Map<string, ObservedRoute[]>();
  for (const route of observed.routes) {
    if (!isOwnedRoute(route, options)) continue;
    const key = routeKey(route.family, route.table, route.dst);
    owned.set(key, [...(owned.get(key) ?? []), route]);
  }
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
  for (const [key, routes] of owned) {
    const first = routes[0];
    if (wanted.has(key) || first === undefined || kept.has(first.table)) continue;
    // One `ip route del` removes one route: delete as many times as the table holds it.
    for (const route of routes) dels.push({ kind: 'route-del', family: route.family, table: Number(route.table), dst: route.dst });
  }
  return { replaces, dels };
}
