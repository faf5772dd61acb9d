import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** The Secrets Manager client, created once per process; only the notifier reads a secret (its contacts). */
export const secrets = new SecretsManagerClient({});

/** A secret's text, as the function reads it once at cold start. */
export async function secretText(client: Pick<SecretsManagerClient, 'send'>, secretId: string): Promise<string> {
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (SecretString === undefined) throw new Error(`the secret ${secretId} holds no text`);
  return SecretString;
}
