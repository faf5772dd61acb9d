import type { Notice, Recipient } from './notice.js';
import type { Channel } from './ports.js';
import { withLinks } from './messages.js';

/** WeCom takes at most 2048 bytes of text (some 680 Chinese characters): a longer notice is cut, its page says the rest. */
const MAX_CONTENT_CHARS = 600;

/** The text a group robot posts: the subject, the text and the links, cut to what the robots accept. */
export function robotContent(notice: Notice): string {
  const content = `${notice.subject}\n\n${withLinks(notice.text, notice.links)}`;
  if (content.length <= MAX_CONTENT_CHARS) return content;
  // The links come last and matter most: the cut takes from the text and keeps them.
  const links = withLinks('', notice.links).trimStart();
  return `${content.slice(0, Math.max(0, MAX_CONTENT_CHARS - links.length - 3))}…\n\n${links}`;
}

/** The JSON body that WeCom and DingTalk group robots both accept. */
export const robotBody = (notice: Notice) => ({ msgtype: 'text', text: { content: robotContent(notice) } });

/** A robot's refusal; its message never holds the URL, whose query carries the robot's key. */
export class WebhookError extends Error {
  override readonly name = 'WebhookError';
}

/** Posts to a group robot: sent only when it answers HTTP 2xx with `errcode` 0, within the timeout. */
export function webhookChannel(options: { timeoutMs: number; fetch?: typeof fetch }): Channel {
  const post = options.fetch ?? fetch;
  return {
    async send(notice: Notice, recipient: Recipient) {
      if (recipient.channel !== 'webhook') throw new TypeError(`the webhook channel cannot send to ${recipient.channel}`);
      let response: Response;
      try {
        response = await post(recipient.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(robotBody(notice)),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (error) {
        // fetch's own errors name no URL, but its cause may: only the kind of failure is kept.
        throw new WebhookError(`webhook not reached (${(error as Error).name})`);
      }
      if (!response.ok) throw new WebhookError(`webhook answered HTTP ${response.status}`);
      const answer = (await response.json().catch(() => undefined)) as { errcode?: unknown; errmsg?: unknown } | undefined;
      if (answer?.errcode !== 0) throw new WebhookError(`webhook refused the message (errcode ${String(answer?.errcode)}: ${String(answer?.errmsg ?? '')})`);
    },
  };
}
