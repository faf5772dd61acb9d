import { describe, expect, it } from 'vitest';
import { ContactsError, contactsOf, contactsOfJson, exampleContacts } from '../../shared/notify/contacts.js';

const departments = ['science', 'education'];
const valid = exampleContacts(departments);

describe('the contacts document', () => {
  it("gives each department's clerks and head, and the office", () => {
    const contacts = contactsOf(valid, departments);
    expect(contacts.department('science')).toEqual({
      clerks: [
        { channel: 'email', address: 'science-clerk@portal.local' },
        { channel: 'webhook', url: 'https://robot.local/science' },
      ],
      head: [{ channel: 'email', address: 'science-head@portal.local' }],
    });
    expect(contacts.office).toContainEqual({ channel: 'email', address: 'office@portal.local' });
    expect(contacts.department('nobody')).toBeUndefined();
  });

  const science = valid.departments.science;
  it.each([
    [{ ...valid, office: [] }, 'office: must name at least one recipient'],
    [{ ...valid, departments: { ...valid.departments, science: { ...science, head: [{ channel: 'email', address: 'head' }] } } }, 'departments.science.head[0].address: must be an e-mail address'],
    [{ ...valid, departments: { ...valid.departments, science: { ...science, clerks: [{ channel: 'webhook', url: 'ftp://robot' }] } } }, 'departments.science.clerks[0].url: must be an http(s) URL'],
    [{ ...valid, departments: { ...valid.departments, science: { ...science, clerks: [{ channel: 'fax', number: '1' }] } } }, 'departments.science.clerks[0].channel: must be {"channel":"email"'],
    [{ ...valid, departments: { education: valid.departments.education } }, 'departments: no contacts for science'],
    [{ ...valid, departments: { ...valid.departments, police: science } }, 'departments: police not in the catalog'],
  ])('refuses a wrong entry, naming where it is (%#)', (document, message) => {
    expect(() => contactsOf(document, departments)).toThrow(ContactsError);
    expect(() => contactsOf(document, departments)).toThrow(message);
  });

  it('refuses a secret that is no JSON', () => {
    expect(() => contactsOfJson('{', departments)).toThrow('Invalid contacts: not JSON');
  });
});
