import { z } from 'zod';
import type { Recipient } from './notice.js';
import type { Contacts, DepartmentContacts } from './ports.js';

/**
 * Who is told what is data: a JSON document, kept in a Secrets Manager secret on AWS (webhook URLs carry their
 * robots' keys) and in `.local/contacts.json` locally, checked here once at load so that a wrong entry fails at cold
 * start naming where it is, rather than as a notice that never arrives.
 */

const recipientSchema = z.discriminatedUnion(
  'channel',
  [
    z.strictObject({ channel: z.literal('email'), address: z.email('must be an e-mail address') }),
    z.strictObject({ channel: z.literal('webhook'), url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }) }),
  ],
  { error: 'must be {"channel":"email","address":…} or {"channel":"webhook","url":…}' },
);

const recipientsSchema = z.array(recipientSchema).min(1, 'must name at least one recipient');

const departmentContactsSchema = z.strictObject({ clerks: recipientsSchema, head: recipientsSchema });

export const contactsDocumentSchema = z.strictObject({
  /** The district reform office: escalations and the monthly report. */
  office: recipientsSchema,
  /** By catalog department id. */
  departments: z.record(z.string(), departmentContactsSchema),
});
export type ContactsDocument = z.infer<typeof contactsDocumentSchema>;

export class ContactsError extends Error {
  override readonly name = 'ContactsError';
}

const pathText = (path: readonly PropertyKey[]) => path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '');

/** The contacts a document holds, for every department of the catalog and none other; throws ContactsError naming each wrong entry. */
export function contactsOf(document: unknown, departments: readonly string[]): Contacts {
  const parsed = contactsDocumentSchema.safeParse(document);
  if (!parsed.success) {
    throw new ContactsError(`Invalid contacts: ${parsed.error.issues.map((issue) => `${pathText(issue.path) || 'the document'}: ${issue.message}`).join('; ')}`);
  }
  const { office, departments: listed } = parsed.data;
  const known = new Set(departments);
  const missing = departments.filter((id) => !Object.hasOwn(listed, id));
  const unknown = Object.keys(listed).filter((id) => !known.has(id));
  const problems = [
    ...(missing.length > 0 ? [`departments: no contacts for ${missing.join(', ')}`] : []),
    ...(unknown.length > 0 ? [`departments: ${unknown.join(', ')} not in the catalog`] : []),
  ];
  if (problems.length > 0) throw new ContactsError(`Invalid contacts: ${problems.join('; ')}`);
  const byDepartment = new Map<string, DepartmentContacts>(Object.entries(listed));
  return { office, department: (id) => byDepartment.get(id) };
}

/** Parses the document's text first, so that a secret that is no JSON says so. */
export function contactsOfJson(text: string, departments: readonly string[]): Contacts {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ContactsError(`Invalid contacts: not JSON (${(error as Error).message})`);
  }
  return contactsOf(document, departments);
}

/**
 * The local run's contacts: every department's clerks and head at an address of the local portal and a robot of
 * its own, so that the outbox shows both channels.
 */
export function exampleContacts(departments: readonly string[]): ContactsDocument {
  const email = (address: string): Recipient => ({ channel: 'email', address });
  return {
    office: [email('office@portal.local'), { channel: 'webhook', url: 'https://robot.local/office' }],
    departments: Object.fromEntries(
      departments.map((id) => [id, { clerks: [email(`${id}-clerk@portal.local`), { channel: 'webhook', url: `https://robot.local/${id}` }], head: [email(`${id}-head@portal.local`)] }]),
    ),
  };
}
