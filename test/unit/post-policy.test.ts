import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checkPostPolicy, readBodyCapped, type PostedForm } from '../../cli/local/post-policy.js';
import { parseCredential, sigv4Signature, type S3Refusal } from '../../cli/local/sigv4.js';

/** The POST policy check of the local S3 stand-in, against forms signed as the API signs them (the SDK's createPresignedPost). */
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const BUCKET = 'department-metrics-uploads';
const KEY = 'incoming/education/4c1f/月报.xlsx';
const MAX = 1000;
const client = new S3Client({ region: 'ap-east-1', endpoint: 'http://127.0.0.1:4568', forcePathStyle: true, credentials: CREDENTIALS });
const now = new Date();
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

async function signedForm(options: { key?: string; fields?: Record<string, string>; conditions?: unknown[] } = {}): Promise<PostedForm> {
  const { fields } = await createPresignedPost(client, {
    Bucket: BUCKET,
    Key: options.key ?? KEY,
    Conditions: [['content-length-range', 1, MAX], ...((options.conditions ?? []) as [])],
    Fields: options.fields ?? {},
    Expires: 300,
  });
  return { bucket: BUCKET, fields, fileSize: 500 };
}

/** A form whose policy document is `document`, signed with the credentials as the SDK would. */
function formWithPolicy(base: PostedForm, document: unknown): PostedForm {
  const policy = Buffer.from(typeof document === 'string' ? document : JSON.stringify(document)).toString('base64');
  const scope = parseCredential(base.fields['X-Amz-Credential'] ?? '');
  if (!scope) throw new Error('the SDK made a credential that is none');
  return { ...base, fields: { ...base.fields, Policy: policy, 'X-Amz-Signature': sigv4Signature(CREDENTIALS.secretAccessKey, scope, policy) } };
}

const form = await signedForm();
const withField = (name: string, value: string | undefined): PostedForm => {
  const { [name]: _dropped, ...rest } = form.fields;
  return { ...form, fields: value === undefined ? rest : { ...rest, [name]: value } };
};
const flip = (hex: string) => `${hex.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}`;
const failed = (condition: string): Partial<S3Refusal> => ({ code: 'AccessDenied', message: `Invalid according to Policy: Policy Condition failed: ${condition}` });

const cases: { name: string; form: PostedForm; now?: Date; credentials?: typeof CREDENTIALS; refusal: Partial<S3Refusal> | null }[] = [
  { name: 'accepts a form as the API signs it, the file within the range', form, refusal: null },
  { name: 'accepts a file of exactly the most bytes the range allows', form: { ...form, fileSize: MAX }, refusal: null },
  { name: 'accepts a field named x-ignore-*, which no condition needs to cover', form: withField('x-ignore-page', 'upload.html'), refusal: null },
  { name: 'accepts field names in any case, as S3 reads them', form: { ...form, fields: Object.fromEntries(Object.entries(form.fields).map(([name, value]) => [name.toLowerCase(), value])) }, refusal: null },
  {
    name: 'refuses a file over the range with EntityTooLarge',
    form: { ...form, fileSize: MAX + 1 },
    refusal: { code: 'EntityTooLarge', detail: { ProposedSize: MAX + 1, MaxSizeAllowed: MAX } },
  },
  { name: 'refuses a file under the range with EntityTooSmall', form: { ...form, fileSize: 0 }, refusal: { code: 'EntityTooSmall', detail: { ProposedSize: 0, MinSizeAllowed: 1 } } },
  { name: 'refuses a form without a policy as an anonymous write', form: withField('Policy', undefined), refusal: { code: 'AccessDenied', message: 'Access Denied' } },
  { name: 'refuses a form without its signature', form: withField('X-Amz-Signature', undefined), refusal: { code: 'InvalidArgument', detail: { ArgumentName: 'x-amz-signature', ArgumentValue: '' } } },
  { name: 'refuses a changed signature', form: withField('X-Amz-Signature', flip(form.fields['X-Amz-Signature'] ?? '')), refusal: { code: 'SignatureDoesNotMatch' } },
  {
    name: 'refuses a policy changed after signing',
    form: withField('Policy', Buffer.from(Buffer.from(form.fields.Policy ?? '', 'base64').toString().replace(`${MAX}]`, `${MAX * 10}]`)).toString('base64')),
    refusal: { code: 'SignatureDoesNotMatch' },
  },
  { name: 'refuses a policy signed with another secret', form, credentials: { ...CREDENTIALS, secretAccessKey: 'other' }, refusal: { code: 'SignatureDoesNotMatch' } },
  { name: 'refuses an access key it does not know', form, credentials: { ...CREDENTIALS, accessKeyId: 'OTHER' }, refusal: { code: 'InvalidAccessKeyId', detail: { AWSAccessKeyId: 'S3RVER' } } },
  { name: 'refuses another algorithm', form: withField('X-Amz-Algorithm', 'AWS4-HMAC-SHA1'), refusal: { code: 'InvalidArgument' } },
  { name: 'refuses a policy past its expiration', form, now: later(301), refusal: { code: 'AccessDenied', message: 'Invalid according to Policy: Policy expired.' } },
  { name: 'refuses a POST to another bucket than the policy names', form: { ...form, bucket: 'department-metrics-snapshots' }, refusal: failed(`["eq", "$bucket", "${BUCKET}"]`) },
  { name: 'refuses a key other than the one granted', form: withField('key', 'incoming/finance/4c1f/月报.xlsx'), refusal: failed(`["eq", "$key", "${KEY}"]`) },
  { name: 'refuses a form without the key the policy names', form: withField('key', undefined), refusal: failed(`["eq", "$key", "${KEY}"]`) },
  {
    name: 'refuses a field other than the policy says',
    form: await signedForm({ fields: { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } }).then((signed) => ({ ...signed, fields: { ...signed.fields, 'Content-Type': 'text/html' } })),
    refusal: failed('["eq", "$content-type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]'),
  },
  {
    name: 'accepts a key that starts as the policy says',
    form: await signedForm({ key: 'incoming/education/${filename}' }).then((signed) => ({ ...signed, fields: { ...signed.fields, key: 'incoming/education/月报.xlsx' } })),
    refusal: null,
  },
  {
    name: 'refuses a key that does not start as the policy says',
    form: await signedForm({ key: 'incoming/education/${filename}' }).then((signed) => ({ ...signed, fields: { ...signed.fields, key: 'incoming/finance/月报.xlsx' } })),
    refusal: failed('["starts-with", "$key", "incoming/education/"]'),
  },
  {
    name: 'refuses another field that does not start as the policy says',
    form: await signedForm({ conditions: [['starts-with', '$Content-Type', 'application/']] }).then((signed) => ({ ...signed, fields: { ...signed.fields, 'Content-Type': 'text/html' } })),
    refusal: failed('["starts-with", "$content-type", "application/"]'),
  },
  { name: 'refuses a field no condition covers', form: withField('x-amz-meta-user', 'someone-else'), refusal: { code: 'AccessDenied', message: 'Invalid according to Policy: Extra input fields: x-amz-meta-user' } },
  { name: 'refuses a signed policy that is no JSON', form: formWithPolicy(form, 'not json'), refusal: { code: 'InvalidPolicyDocument', message: 'Invalid Policy: Invalid JSON.' } },
  { name: 'refuses a signed policy without an expiration', form: formWithPolicy(form, { conditions: [] }), refusal: { code: 'InvalidPolicyDocument' } },
  {
    name: 'refuses a signed policy with a condition S3 cannot read',
    form: formWithPolicy(form, { expiration: later(60).toISOString(), conditions: [['matches', '$key', '.*']] }),
    refusal: { code: 'InvalidPolicyDocument', message: 'Invalid Policy: Invalid Condition: ["matches","$key",".*"]' },
  },
];

describe('checkPostPolicy', () => {
  it.each(cases)('$name', ({ form: posted, now: at = now, credentials = CREDENTIALS, refusal }) => {
    const answer = checkPostPolicy(posted, at, credentials);
    if (refusal === null) expect(answer).toBeNull();
    else expect(answer).toMatchObject(refusal);
  });
});

describe('readBodyCapped', () => {
  const chunks = (sizes: number[]) => Readable.from(sizes.map((size, i) => Buffer.alloc(size, i)));

  it('gives the whole body when it is within the cap', async () => {
    expect(await readBodyCapped(chunks([3, 4]), 7)).toEqual(Buffer.from([0, 0, 0, 1, 1, 1, 1]));
  });

  it('refuses a body over the cap with EntityTooLarge, naming the bytes read when it passed it', async () => {
    await expect(readBodyCapped(chunks([4, 4, 4]), 7)).rejects.toMatchObject({ code: 'EntityTooLarge', detail: { ProposedSize: 8, MaxSizeAllowed: 7 } });
  });
});
