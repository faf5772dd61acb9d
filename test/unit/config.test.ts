import { describe, expect, it } from 'vitest';
import { readConfig } from '../../shared/config.js';

describe('reading a function configuration', () => {
  it('gives each variable its type', () => {
    const env = { OBSERVATIONS_TABLE_NAME: 'observations', REPORTING_DUE_DAY: '10' };
    expect(readConfig(['observationsTable', 'dueDay'], env)).toEqual({ observationsTable: 'observations', dueDay: 10 });
  });

  it.each([
    [{}, 'OBSERVATIONS_TABLE_NAME must be set'],
    [{ OBSERVATIONS_TABLE_NAME: '' }, 'OBSERVATIONS_TABLE_NAME must not be empty'],
    [{ OBSERVATIONS_TABLE_NAME: 't', REPORTING_DUE_DAY: '31' }, 'REPORTING_DUE_DAY must be between 1 and 28'],
    [{ OBSERVATIONS_TABLE_NAME: 't', REPORTING_DUE_DAY: '10.5' }, 'REPORTING_DUE_DAY must be a whole day of the month'],
    [{ OBSERVATIONS_TABLE_NAME: 't', REPORTING_DUE_DAY: 'tenth' }, 'REPORTING_DUE_DAY must be a number'],
    [{ OBSERVATIONS_TABLE_NAME: 't' }, 'REPORTING_DUE_DAY must be set'],
  ])('fails fast with %j, naming the variable', (env, message) => {
    expect(() => readConfig(['observationsTable', 'dueDay'], env)).toThrow(message);
  });
});

describe("the portal API's settings", () => {
  it('takes 20 MiB as the upload limit unless told otherwise, in MiB', () => {
    expect(readConfig(['maxUploadBytes'], {})).toEqual({ maxUploadBytes: 20 * 2 ** 20 });
    expect(readConfig(['maxUploadBytes'], { UPLOAD_MAX_MB: '5' })).toEqual({ maxUploadBytes: 5 * 2 ** 20 });
  });

  it('reads the key set of a local user pool, and nothing when unset', () => {
    const jwks = { keys: [{ kty: 'RSA', kid: 'k1', n: 'AQAB', e: 'AQAB' }] };
    expect(readConfig(['userPoolJwks'], { USER_POOL_JWKS: JSON.stringify(jwks) })).toEqual({ userPoolJwks: jwks });
    expect(readConfig(['userPoolJwks'], {})).toEqual({ userPoolJwks: undefined });
  });

  it.each([
    [{ UPLOAD_MAX_MB: '0' }, ['maxUploadBytes'], 'UPLOAD_MAX_MB must be a positive whole number'],
    [{ USER_POOL_JWKS: '{"keys": []}' }, ['userPoolJwks'], 'USER_POOL_JWKS must be a JSON Web Key Set'],
    [{ USER_POOL_JWKS: 'not json' }, ['userPoolJwks'], 'USER_POOL_JWKS must be a JSON Web Key Set'],
    [{}, ['userPoolId', 'uploadBucket'], 'USER_POOL_ID must be set; UPLOAD_BUCKET_NAME must be set'],
  ] as const)('fails fast with %j, naming the variable', (env, keys, message) => {
    expect(() => readConfig(keys, env)).toThrow(message);
  });
});

describe("the notices' settings", () => {
  it('reads the sender, the portal and the reminder days, three unless told otherwise', () => {
    const env = { NOTICE_SENDER_ADDRESS: 'notices@dazu.gov.cn', PORTAL_URL: 'https://portal.dazu.gov.cn/' };
    expect(readConfig(['senderAddress', 'portalUrl', 'reminderDays'], env)).toEqual({
      senderAddress: 'notices@dazu.gov.cn',
      portalUrl: 'https://portal.dazu.gov.cn/',
      reminderDays: 3,
    });
    expect(readConfig(['reminderDays'], { REMINDER_WORKING_DAYS: '5' })).toEqual({ reminderDays: 5 });
  });

  it.each([
    [{ NOTICE_SENDER_ADDRESS: 'notices' }, ['senderAddress'], 'NOTICE_SENDER_ADDRESS must be an e-mail address'],
    [{ PORTAL_URL: 'ftp://portal' }, ['portalUrl'], 'PORTAL_URL must be an http(s) URL'],
    [{ NOTICE_QUEUE_URL: 'queue' }, ['noticeQueueUrl'], 'NOTICE_QUEUE_URL must be a queue URL'],
    [{ REMINDER_WORKING_DAYS: '-1' }, ['reminderDays'], 'REMINDER_WORKING_DAYS must be a positive whole number'],
    [{}, ['sentNoticesTable', 'contactsSecret'], 'SENT_NOTICES_TABLE_NAME must be set; CONTACTS_SECRET_ARN must be set'],
  ] as const)('fails fast with %j, naming the variable', (env, keys, message) => {
    expect(() => readConfig(keys, env)).toThrow(message);
  });
});
