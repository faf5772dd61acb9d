import { DEPARTMENT_ID } from './s3-keys.js';

/**
 * The roles of the people who use the portal, and what each may see and do. A role comes from the signed token,
 * never from the request: a user's groups (Cognito groups on AWS, the local sign-in's locally) are named as the
 * roles are written here, `clerk:<department>`, `head:<department>` and `office`.
 */

/** A clerk reports a department's figures; its head signs them off; the reform office and its leaders read them all. */
export type Role = { kind: 'clerk' | 'head'; department: string } | { kind: 'office' };

/** The role a group names; undefined for a group that is no role, which grants nothing. */
export function roleOf(group: string): Role | undefined {
  if (group === 'office') return { kind: 'office' };
  const colon = group.indexOf(':');
  const [kind, department] = [group.slice(0, colon), group.slice(colon + 1)];
  return colon !== -1 && (kind === 'clerk' || kind === 'head') && DEPARTMENT_ID.test(department) ? { kind, department } : undefined;
}

/** The group name of a role: `clerk:science`, `office`. */
export function roleName(role: Role): string {
  return role.kind === 'office' ? 'office' : `${role.kind}:${role.department}`;
}

/** A signed-in user, as the token says. */
export interface Principal {
  user: string;
  email: string | null;
  roles: Role[];
}

/** The principal of a user with these groups; groups that name no role are dropped. */
export function principalOf(user: string, email: string | null, groups: readonly string[]): Principal {
  const roles = groups.flatMap((group) => roleOf(group) ?? []);
  return { user, email, roles };
}

const isOffice = (principal: Principal) => principal.roles.some((role) => role.kind === 'office');

/** Whether the user may see a department's months, uploads and reports: its own clerks and head, and the office. */
export function mayRead(principal: Principal, department: string): boolean {
  return isOffice(principal) || principal.roles.some((role) => role.kind !== 'office' && role.department === department);
}

/** Whether the user may upload a department's workbook: its own clerks and head only. */
export function mayUpload(principal: Principal, department: string): boolean {
  return principal.roles.some((role) => role.kind !== 'office' && role.department === department);
}

/** Whether the user may read the consolidated snapshots of every department: the office only. */
export function mayReadSnapshots(principal: Principal): boolean {
  return isOffice(principal);
}

/** The departments the user may read, of those given (the catalog's), in their order. */
export function readableDepartments(principal: Principal, departments: readonly string[]): string[] {
  return departments.filter((department) => mayRead(principal, department));
}
