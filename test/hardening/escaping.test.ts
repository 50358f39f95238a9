/**
 * Issue 11 item 2: no text that leaves Nansen can ping a channel, mention someone or carry a disguised link, the
 * fallback `text` included (Slack shows it in notifications, and "Share in channel" posts it to everyone).
 */
import { classifyChanges } from '../../src/alerts/classify';
import type { TableContext } from '../../src/alerts/context';
import { buildAlertMessage } from '../../src/alerts/message';
import { ACTION } from '../../src/render/blocks-actions';
import { plain } from '../../src/render/blocks-common';
import { escapeMrkdwn, outgoingMessage } from '../../src/text/mrkdwn';
import { blocksText, findButton, type Harness, SESSIONS, startHarness } from '../slack/harness';

const HOSTILE = ['<!channel>', '<!here>', '<!everyone>', '<!subteam^S0123|@admins>', '<@U0EVIL0001>', '<https://evil.example|docs>', 'a & b', 'nul\u0000here'];
/** Control sequences Slack would act on in mrkdwn: special mentions, a planted user mention, a disguised link; NUL. */
const NUL = String.fromCharCode(0);
const DANGER = new RegExp(`<!(?:channel|here|everyone|subteam)|<@U0EVIL|<https?://evil|${NUL}`);

/** Every mrkdwn text in blocks (plain_text is never parsed for mentions or links). */
function mrkdwnOf(blocks: unknown): string {
  const out: string[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
      for (const v of Object.values(o)) if (typeof v === 'object') walk(v);
    }
  };
  walk(blocks);
  return out.join('\n');
}

describe('escapeMrkdwn, the one escaping function', () => {
  it.each(HOSTILE)('neutralises %j', (s) => {
    const out = escapeMrkdwn(s);
    expect(out).not.toMatch(new RegExp(`[<>${NUL}]`));
    expect(out).not.toMatch(/&(?!amp;|lt;|gt;)/);
  });
  it('escapes & once and is idempotent', () => {
    expect(escapeMrkdwn('<a & b>')).toBe('&lt;a &amp; b&gt;');
    expect(escapeMrkdwn(escapeMrkdwn('<!channel> & <@U1>'))).toBe(escapeMrkdwn('<!channel> & <@U1>'));
  });
  it('plain() never turns &lt; back into <', () => {
    expect(plain('&lt;!channel&gt; &amp; *b*')).toBe('&lt;!channel&gt; &amp; *b*');
    expect(plain('<@U1|jiwoo> <https://x.y|link> <!here>')).not.toMatch(/[<>]/);
  });
  it('outgoingMessage escapes the fallback text and strips NUL from blocks', () => {
    const m = outgoingMessage({ text: '<!channel> x\u0000', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'a\u0000b <@U1>' } }] });
    expect(m.text).toBe('&lt;!channel&gt; x');
    expect(JSON.stringify(m.blocks)).toBe(JSON.stringify([{ type: 'section', text: { type: 'mrkdwn', text: 'ab <@U1>' } }]));
  });
});

describe('alerts: a source table named <!channel>', () => {
  it('neither the blocks nor the fallback text carry the mention', () => {
    const key = 'postgres://main.sales/<!channel>';
    const changes = classifyChanges([{ id: 'c1', source: 'postgres:<!here>', crawlId: 'k1', at: '2026-11-24T08:00:00Z', tableKey: key, kind: 'column_added', column: '<!everyone>', newValue: '<@U0EVIL0001>' }]);
    const ctx: TableContext = { key, label: 'sales.<!channel>', known: true, removed: false, tags: [], owners: [], frequentUsers: [], downstream: [], dashboards: [] };
    const msg = buildAlertMessage({ variant: { kind: 'live', source: 'postgres:<!here>', crawlId: 'k1' }, changes, contexts: new Map([[key, ctx]]), changeSetId: 'x' });
    expect(msg.text).not.toMatch(DANGER);
    expect(mrkdwnOf(msg.blocks)).not.toMatch(DANGER);
    expect(mrkdwnOf(msg.blocks)).toContain('&lt;!channel&gt;');
    expect(outgoingMessage(msg).text).toBe(msg.text);
  });
});

describe('through the real Bolt app and the fake Slack API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const expectSafe = (args: Record<string, unknown>): void => {
    expect(String(args.text)).not.toMatch(DANGER);
    expect(mrkdwnOf(args.blocks)).not.toMatch(DANGER);
    expect(blocksText(args.blocks).includes(NUL)).toBe(false);
  };

  it('/data <!channel> sessions, then Share: nothing pings the channel', async () => {
    const r = await h.command('<!channel> <!here> sessions & <@U0EVIL0001>');
    const [reply] = await h.responses(r.responseUrl);
    expectSafe(reply!.args);
    const share = findButton(reply!.args.blocks, ACTION.share);
    await h.click(share.action_id, share.value, { responseUrl: r.responseUrl, user: 'U0ALICE001' });
    const [, shared] = await h.responses(r.responseUrl, 3);
    expect(shared!.args.response_type).toBe('in_channel');
    expectSafe(shared!.args);
  });

  it('a description edited to <!channel> <!here> <https://evil|docs>, then the card shared', async () => {
    await h.deps.graph.applyEdit({ tableKey: SESSIONS, field: { kind: 'description' }, value: '<!channel> <!here> <https://evil.example|docs> \u0000 & co', actor: 'minsu.lee' });
    const r = await h.command('game_log.sessions');
    const [card] = await h.responses(r.responseUrl);
    expect(String(card!.args.text)).toContain('&lt;!channel&gt;');
    expectSafe(card!.args);
    const share = findButton(card!.args.blocks, ACTION.share);
    await h.click(share.action_id, share.value, { responseUrl: r.responseUrl, user: 'U0ALICE001' });
    const [, shared] = await h.responses(r.responseUrl, 3);
    expectSafe(shared!.args);
  });
});
