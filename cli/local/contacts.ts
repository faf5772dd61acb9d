import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { contactsOfJson, exampleContacts } from '../../shared/notify/contacts.js';
import type { Contacts } from '../../shared/notify/ports.js';

/** Where the local run keeps its contacts document, beside the stores. */
export const localContactsPath = (directory: string) => join(directory, 'contacts.json');

/**
 * The local run's contacts: `<data>/contacts.json`, written with the example addresses if absent, so that it can be
 * edited to try other recipients; read and checked like the secret on AWS.
 */
export async function localContacts(directory: string, departments: readonly string[]): Promise<Contacts> {
  const path = localContactsPath(directory);
  if (!existsSync(path)) await writeFile(path, `${JSON.stringify(exampleContacts(departments), null, 2)}\n`);
  return contactsOfJson(await readFile(path, 'utf8'), departments);
}
