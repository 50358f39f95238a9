import { ACTION } from '../../src/render/blocks-actions';
import { blocksText, findButton, findMenuOption, type Harness, LATENCY, SESSIONS, startHarness } from './harness';

describe('/data through the real Bolt app', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('acknowledges at once with an empty 200, then answers ephemerally through the response_url', async () => {
    const r = await h.command('latency by country');
    expect(r.status).toBe(200);
    expect(r.body).toBe('');
    expect(r.ms).toBeLessThan(1000);
    const [reply] = await h.responses(r.responseUrl);
    expect(reply!.status).toBe(200);
    expect(reply!.args.response_type).toBe('ephemeral');
    const text = blocksText(reply!.args.blocks);
    expect(text).toContain('game_log.network_latency_by_country');
    expect(text).toMatch(/updated .* ago/);
    expect(text).toContain('owner');
    expect(text).toMatch(/certified/);
    findButton(reply!.args.blocks, ACTION.share);
  });

  it('pages through results with Next / Previous in place', async () => {
    const r = await h.command('daily');
    const [first] = await h.responses(r.responseUrl);
    const next = findButton(first!.args.blocks, ACTION.searchPage);
    const click = await h.click(next.action_id, next.value, { responseUrl: r.responseUrl });
    expect(click.status).toBe(200);
    const [, second] = await h.responses(r.responseUrl, 2);
    expect(second!.args.replace_original).toBe(true);
    expect(blocksText(second!.args.blocks)).toContain('Results 6–');
    expect(blocksText(second!.args.blocks)).not.toEqual(blocksText(first!.args.blocks));
    findButton(second!.args.blocks, ACTION.searchPage);
  });

  it('opens a table card for a table name, with owners as mentions, cadence and buttons', async () => {
    const r = await h.command('game_log.sessions');
    const [reply] = await h.responses(r.responseUrl);
    const text = blocksText(reply!.args.blocks);
    expect(text).toContain('game_log.sessions');
    expect(text).toContain('<@U0DEMO0001>');
    expect(text).toMatch(/hourly, around :1\d/);
    expect(text).toContain('_(from the source)_');
    for (const a of [ACTION.bookmark, ACTION.subscribe, ACTION.share]) findButton(reply!.args.blocks, a);
    for (const a of ['description', 'columns', 'tags', 'owners', 'history']) findMenuOption(reply!.args.blocks, a);
    expect(blocksText(reply!.args.blocks)).toContain('```gold.game_log.sessions```');
    expect((reply!.args.blocks as Array<{ type: string; text?: { text: string } }>)[0]).toMatchObject({ type: 'header', text: { text: 'gold.game_log.sessions' } });
  });

  it('pages long column lists within the block limits', async () => {
    const r = await h.command('client_events');
    const [reply] = await h.responses(r.responseUrl);
    expect(blocksText(reply!.args.blocks)).toContain('Columns* 1–15 of 34');
    const more = findButton(reply!.args.blocks, ACTION.columnsPage);
    await h.click(more.action_id, more.value, { responseUrl: r.responseUrl });
    const [, page2] = await h.responses(r.responseUrl, 2);
    expect(page2!.status).toBe(200);
    expect(blocksText(page2!.args.blocks)).toContain('Columns* 16–30 of 34');
  });

  it('shows help', async () => {
    const r = await h.command('help');
    const [reply] = await h.responses(r.responseUrl);
    expect(blocksText(reply!.args.blocks)).toContain('/data history <table>');
  });

  it('says politely when nothing matches', async () => {
    const r = await h.command('zzqxv');
    const [reply] = await h.responses(r.responseUrl);
    expect(blocksText(reply!.args.blocks)).toContain('Nothing in the catalog matched');
  });

  it('shares: posts the card for the channel and deletes the private copy', async () => {
    const r = await h.command(LATENCY);
    const [card] = await h.responses(r.responseUrl);
    const share = findButton(card!.args.blocks, ACTION.share);
    await h.click(share.action_id, share.value, { responseUrl: r.responseUrl, user: 'U0ALICE001' });
    const [, shared, deleted] = await h.responses(r.responseUrl, 3);
    expect(shared!.args.response_type).toBe('in_channel');
    expect(blocksText(shared!.args.blocks)).toContain('Shared by <@U0ALICE001>');
    expect(() => findButton(shared!.args.blocks, ACTION.share)).toThrow();
    expect(deleted!.args.delete_original).toBe(true);
  });

  it('lists history (empty at first) for /data history <table>', async () => {
    const r = await h.command('history game_log.sessions');
    const [reply] = await h.responses(r.responseUrl);
    expect(blocksText(reply!.args.blocks)).toContain('No one has edited');
  });

  it('offers suggestions for the history of an unknown table', async () => {
    const r = await h.command('history game_log.sesions');
    const [reply] = await h.responses(r.responseUrl);
    expect(blocksText(reply!.args.blocks)).toContain("couldn't find a table");
  });

  it('bookmarks and subscribes from the card', async () => {
    const r = await h.command(SESSIONS);
    const [card] = await h.responses(r.responseUrl);
    const bm = findButton(card!.args.blocks, ACTION.bookmark);
    await h.click(bm.action_id, bm.value, { responseUrl: r.responseUrl, user: 'U0BOOKMARK' });
    const sub = findButton(card!.args.blocks, ACTION.subscribe);
    await h.click(sub.action_id, sub.value, { responseUrl: r.responseUrl, user: 'U0BOOKMARK' });
    const posts = await h.responses(r.responseUrl, 3);
    expect(blocksText(posts.map((p) => p.args.blocks))).toContain('Bookmarked');
    expect(await h.deps.userState.bookmarks('U0BOOKMARK')).toEqual([SESSIONS]);
    expect((await h.deps.userState.subscribersOf(SESSIONS)).map((s) => s.user)).toEqual(['U0BOOKMARK']);
  });
});
