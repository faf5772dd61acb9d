import { describe, expect, it } from 'vitest';
import { mayRead, mayReadSnapshots, mayUpload, principalOf, readableDepartments, roleName, roleOf } from '../../shared/roles.js';

describe('a role from the group that names it', () => {
  it.each([
    { group: 'clerk:science', role: { kind: 'clerk', department: 'science' } },
    { group: 'head:education', role: { kind: 'head', department: 'education' } },
    { group: 'office', role: { kind: 'office' } },
    { group: 'clerk:', role: undefined },
    { group: 'clerk:Science', role: undefined },
    { group: 'clerk:../education', role: undefined },
    { group: 'admin:science', role: undefined },
    { group: 'Office', role: undefined },
    { group: 'clerk-science', role: undefined },
    { group: '', role: undefined },
  ])('$group is $role', ({ group, role }) => {
    expect(roleOf(group)).toEqual(role);
  });

  it.each(['clerk:science', 'head:vocational', 'office'])('%s is written back as it was read', (group) => {
    const role = roleOf(group);

    expect(role && roleName(role)).toBe(group);
  });
});

describe('what each role may see and do', () => {
  const clerk = principalOf('science-clerk', null, ['clerk:science', 'not-a-role']);
  const head = principalOf('science-head', null, ['head:science']);
  const office = principalOf('office', 'office@example.org', ['office']);
  const nobody = principalOf('visitor', null, []);

  it.each([
    { who: 'a science clerk', principal: clerk, science: [true, true], education: [false, false], snapshots: false },
    { who: 'the science head', principal: head, science: [true, true], education: [false, false], snapshots: false },
    { who: 'the office', principal: office, science: [true, false], education: [true, false], snapshots: true },
    { who: 'a user of no group', principal: nobody, science: [false, false], education: [false, false], snapshots: false },
  ])('$who: read and upload science $science, education $education; snapshots $snapshots', ({ principal, science, education, snapshots }) => {
    expect([mayRead(principal, 'science'), mayUpload(principal, 'science')]).toEqual(science);
    expect([mayRead(principal, 'education'), mayUpload(principal, 'education')]).toEqual(education);
    expect(mayReadSnapshots(principal)).toBe(snapshots);
  });

  it('lists the departments a user may read, in the order given', () => {
    const departments = ['education', 'science', 'vocational'];

    expect(readableDepartments(clerk, departments)).toEqual(['science']);
    expect(readableDepartments(office, departments)).toEqual(departments);
    expect(readableDepartments(nobody, departments)).toEqual([]);
  });

  it('keeps the roles a token names and drops the groups that are none', () => {
    expect(clerk).toEqual({ user: 'science-clerk', email: null, roles: [{ kind: 'clerk', department: 'science' }] });
  });
});
