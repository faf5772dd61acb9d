import { describe, expect, it } from 'vitest';
import type { MeResponse } from '../../shared/portal/contract.js';
import { hashOf, homeRouteOf, permittedRoute, routeOf, type Route } from '../../portal/src/lib/routes.js';

const department = (id: string, upload: boolean) => ({ id, zh: id, en: id, upload });
const clerk: MeResponse = { user: 'science-clerk', email: null, roles: ['clerk:science'], departments: [department('science', true)], snapshots: false };
const office: MeResponse = {
  user: 'office',
  email: null,
  roles: ['office'],
  departments: [department('science', false), department('education', false)],
  snapshots: true,
};

describe('hash routes', () => {
  it.each<[string, Route]>([
    ['#/department/science', { page: 'department', department: 'science' }],
    ['#/department/science/months/2026-10', { page: 'month', department: 'science', period: '2026-10' }],
    ['#/leaders', { page: 'leaders', period: null }],
    ['#/leaders/2026-10', { page: 'leaders', period: '2026-10' }],
    ['#/', { page: 'home' }],
  ])('reads %s and writes it back', (hash, route) => {
    expect(routeOf(hash)).toEqual(route);
    expect(hashOf(route)).toBe(hash);
  });

  it.each(['', '#/leaders/2026-13', '#/leaders/2026-10/extra', '#/department', '#/elsewhere', '#/department/science/months', '#/department/science/months/2026-13', '#/department/science/months/2026-10/x', '#/department/science/2026-10'])('takes %j for home', (hash) => {
    expect(routeOf(hash)).toEqual({ page: 'home' });
  });
});

describe('where a user lands', () => {
  it('sends the office to the leaders page and a clerk to their department', () => {
    expect(homeRouteOf(office)).toEqual({ page: 'leaders', period: null });
    expect(homeRouteOf(clerk)).toEqual({ page: 'department', department: 'science' });
  });

  it('picks the first department the user uploads for, before those they only read', () => {
    const head = { ...clerk, departments: [department('education', false), department('vocational', true)] };
    expect(homeRouteOf(head)).toEqual({ page: 'department', department: 'vocational' });
  });

  it('lets the office open any department, and turns a clerk away from other departments and the leaders page', () => {
    expect(permittedRoute({ page: 'department', department: 'education' }, office)).toEqual({ page: 'department', department: 'education' });
    expect(permittedRoute({ page: 'department', department: 'education' }, clerk)).toEqual({ page: 'department', department: 'science' });
    expect(permittedRoute({ page: 'leaders', period: '2026-10' }, clerk)).toEqual({ page: 'department', department: 'science' });
    expect(permittedRoute({ page: 'home' }, office)).toEqual({ page: 'leaders', period: null });
    const month = { page: 'month', department: 'education', period: '2026-10' } as const;
    expect(permittedRoute(month, office)).toEqual(month);
    expect(permittedRoute(month, clerk)).toEqual({ page: 'department', department: 'science' });
  });
});
