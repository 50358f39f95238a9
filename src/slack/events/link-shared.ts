import type { App } from '@slack/bolt';
import { resolveUnfurl } from '../../core/unfurl';
import { tableUnfurlBlocks } from '../../render/unfurl';
import type { SlackDeps } from '../deps';

interface LinkSharedEvent {
  channel: string;
  message_ts: string;
  links: Array<{ url: string; domain?: string }>;
}

/**
 * `link_shared`: links to tables (Nansen's own table links, table keys) unfurl as a compact card through
 * `chat.unfurl`. Links Nansen does not know are left alone. Events API retries are de-duplicated by Bolt's ack.
 */
export function register(app: App, deps: SlackDeps): void {
  app.event('link_shared', async ({ event, client }) => {
    const e = event as unknown as LinkSharedEvent;
    const domains = deps.unfurlDomains ?? [];
    const unfurls: Record<string, { blocks: ReturnType<typeof tableUnfurlBlocks> }> = {};
    for (const link of (e.links ?? []).slice(0, 10)) {
      if (typeof link?.url !== 'string') continue;
      const target = await resolveUnfurl(link.url, domains, deps);
      if (target.kind === 'table') unfurls[link.url] = { blocks: tableUnfurlBlocks(target.card) };
    }
    if (!Object.keys(unfurls).length) return;
    try {
      await client.chat.unfurl({ channel: e.channel, ts: e.message_ts, unfurls } as never);
    } catch (err) {
      deps.log.warn({ err: err instanceof Error ? err.message : String(err), channel: e.channel, links: Object.keys(unfurls).length }, 'links not unfurled');
    }
  });
}
