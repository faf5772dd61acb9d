import { isPeriod, type Period } from '../../../shared/calendar.js';
import type { MeResponse } from '../../../shared/portal/contract.js';

/** The page's places, as hash routes: `#/department/science`, `#/department/science/months/2026-10`, `#/leaders`, `#/leaders/2026-10`. */
export type Route =
  | { page: 'department'; department: string }
  | { page: 'month'; department: string; period: Period }
  | { page: 'leaders'; period: Period | null }
  | { page: 'home' };

export function routeOf(hash: string): Route {
  const [page, argument, months, period, ...rest] = hash.replace(/^#\/?/, '').split('/');
  if (page === 'department' && argument && months === 'months' && period && isPeriod(period) && rest.length === 0) {
    return { page: 'month', department: decodeURIComponent(argument), period };
  }
  if (months !== undefined) return { page: 'home' };
  if (page === 'department' && argument) return { page: 'department', department: decodeURIComponent(argument) };
  if (page === 'leaders' && argument === undefined) return { page: 'leaders', period: null };
  if (page === 'leaders' && argument && isPeriod(argument)) return { page: 'leaders', period: argument };
  return { page: 'home' };
}

export function hashOf(route: Route): string {
  switch (route.page) {
    case 'department':
      return `#/department/${encodeURIComponent(route.department)}`;
    case 'month':
      return `#/department/${encodeURIComponent(route.department)}/months/${route.period}`;
    case 'leaders':
      return route.period ? `#/leaders/${route.period}` : '#/leaders';
    case 'home':
      return '#/';
  }
}

/**
 * Where a user lands: the leaders' page for those who read every snapshot; else the clerk page of the first
 * department they upload for, or failing that the first they may read; home (nothing to show) for none.
 */
export function homeRouteOf(me: MeResponse): Route {
  if (me.snapshots) return { page: 'leaders', period: null };
  const department = me.departments.find((d) => d.upload) ?? me.departments[0];
  return department ? { page: 'department', department: department.id } : { page: 'home' };
}

/** The route itself when the user may open it, else where they land. */
export function permittedRoute(route: Route, me: MeResponse): Route {
  const permitted =
    (route.page === 'leaders' && me.snapshots) || ((route.page === 'department' || route.page === 'month') && me.departments.some((d) => d.id === route.department));
  return permitted ? route : homeRouteOf(me);
}
