import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { withLinks } from '../notify/messages.js';
import type { Channel } from '../notify/ports.js';

/** The SES client, created once per process; only the notifier sends e-mail. */
export const ses = new SESv2Client({});

/**
 * E-mail through SES from the stack's sender identity; the configuration set routes bounces and complaints to the
 * stack's handling (and suppresses addresses that bounce), so the notifier sends plain UTF-8 text only.
 */
export function sesChannel(client: Pick<SESv2Client, 'send'>, options: { from: string; configurationSet: string }): Channel {
  return {
    async send(notice, recipient) {
      if (recipient.channel !== 'email') throw new TypeError(`the e-mail channel cannot send to ${recipient.channel}`);
      await client.send(
        new SendEmailCommand({
          FromEmailAddress: options.from,
          Destination: { ToAddresses: [recipient.address] },
          ConfigurationSetName: options.configurationSet,
          EmailTags: [{ Name: 'kind', Value: notice.kind }],
          Content: {
            Simple: {
              Subject: { Data: notice.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: withLinks(notice.text, notice.links), Charset: 'UTF-8' } },
            },
          },
        }),
      );
    },
  };
}
