import { effectiveOwners } from '../../src/domain/model';
import { ACTION, INPUT } from '../../src/render/blocks-actions';
import type { RecordedCall } from '../../tools/fake-slack/server';
import { blocksText, findButton, findMenuOption, type Harness, JIWOO, MINSU, SESSIONS, startHarness } from './harness';

type Errors = { response_action: string; errors: Record<string, string> };
type Block = { type: string; block_id?: string; optional?: boolean; element?: Record<string, unknown> };

const HANA = 'U0DEMO0003';
const NEWBIE = 'U0NEWBIE01';

/** Opens the card of a table as `user` and picks "Edit owners" in its menu; resolves with the opened dialog. */
async function openOwners(h: Harness, table: string, user: string): Promise<{ view: Record<string, unknown>; blocks: Block[]; call: RecordedCall }> {
  const r = await h.command(table, { user });
  const [card] = await h.responses(r.responseUrl);
  const option = findMenuOption(card!.args.blocks, 'owners');
  const click = await h.click(option.action_id, option.value, { user, responseUrl: r.responseUrl, selectedOption: option.selectedOption });
  const call = await h.fake.waitForCall('views.open', (c) => c.args.trigger_id === click.triggerId);
  if (!call.response.ok) throw new Error(JSON.stringify(call.response));
  const view = (call.response as { view: Record<string, unknown> }).view;
  return { view, blocks: view.blocks as Block[], call };
}

function picks(users: string[], keep?: string[]) {
  return { [INPUT.owners]: { [INPUT.users]: { selected_users: users } }, ...(keep ? { [INPUT.ownersKeep]: { [INPUT.keep]: { selected_options: keep.map((value) => ({ value })) } } } : {}) };
}

function usersInfoFor(h: Harness, id: string): RecordedCall[] {
  return h.fake.callsTo('users.info').filter((c) => c.args.user === id);
}

async function ownersOf(h: Harness, key: string): Promise<string[]> {
  return effectiveOwners((await h.deps.graph.getTable(key))!);
}

describe('the Edit owners people picker (issue 12 item 3)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    h.fake.addUser({ id: NEWBIE, name: 'newbie', realName: 'Nari Baek', email: 'Nari.Baek@nansen-games.example' });
    h.fake.addUser({ id: 'U0DANA0001', name: 'dana', realName: 'Dana Seo', email: 'DANA.SEO@nansen-games.example' });
    h.fake.addUser({ id: 'U0GONE0001', name: 'gone', realName: 'Gone Person', email: 'gone@nansen-games.example', deleted: true });
    h.fake.addUser({ id: 'U0BOT00001', name: 'deploybot', realName: 'Deploy Bot', isBot: true });
    // Catalog users without a Slack account: one Slack knows by email, one Slack does not know at all.
    await h.deps.graph.upsertUsers([
      { id: 'dana.seo', name: 'Dana Seo', email: 'dana.seo@nansen-games.example' },
      { id: 'etl.service', name: 'ETL service account' },
    ]);
  });
  afterAll(async () => {
    await h.close();
  });

  it('opens a multi_users_select holding the current owners that have Slack accounts', async () => {
    const { blocks, call } = await openOwners(h, 'hive://gold.game_log/network_latency_by_country', MINSU);
    const input = blocks.find((b) => b.block_id === INPUT.owners)!;
    expect(input.type).toBe('input');
    expect(input.optional).toBe(false);
    expect(input.element).toMatchObject({ type: 'multi_users_select', action_id: INPUT.users, initial_users: ['U0DEMO0004', JIWOO], max_selected_items: 10 });
    expect(blocks.find((b) => b.block_id === INPUT.ownersKeep)).toBeUndefined();
    expect(call.response.ok).toBe(true);
  });

  it('maps picks to catalog users by Slack id, by email, and adds a new one from their Slack profile', async () => {
    const key = 'hive://gold.billing/purchases';
    const { view } = await openOwners(h, key, MINSU);
    const before = h.fake.callsTo('users.info').length;
    const r = await h.submit(view, picks(['U0DEMO0006', HANA, NEWBIE, 'U0DANA0001']), MINSU);
    expect(r.body).toBe('');
    expect(await ownersOf(h, key)).toEqual(['yerin.jung', 'hana.cho', 'nari.baek', 'dana.seo']);
    // Only the people the catalog did not know by Slack id were looked up.
    expect(h.fake.callsTo('users.info').slice(before).map((c) => c.args.user).sort()).toEqual(['U0DANA0001', NEWBIE]);
    const [nari] = await h.deps.graph.getUsers(['nari.baek']);
    expect(nari).toEqual({ id: 'nari.baek', name: 'Nari Baek', email: 'Nari.Baek@nansen-games.example', slackId: NEWBIE });
    expect((await h.deps.graph.getUserBySlackId('U0DANA0001'))?.id).toBe('dana.seo');
    const [entry] = await h.deps.graph.editLog(key);
    expect(entry).toMatchObject({ actor: 'minsu.lee', field: { kind: 'owners' }, oldValue: ['yerin.jung'], newValue: ['yerin.jung', 'hana.cho', 'nari.baek', 'dana.seo'] });
    // Known now by Slack id: a second dialog shows them in the picker and needs no look-up.
    const again = await openOwners(h, key, MINSU);
    expect(again.blocks.find((b) => b.block_id === INPUT.owners)!.element!.initial_users).toEqual(['U0DEMO0006', HANA, NEWBIE, 'U0DANA0001']);
    const calls = h.fake.callsTo('users.info').length;
    expect((await h.submit(again.view, picks(['U0DEMO0006', NEWBIE]), MINSU)).body).toBe('');
    expect(h.fake.callsTo('users.info')).toHaveLength(calls);
    expect(await ownersOf(h, key)).toEqual(['yerin.jung', 'nari.baek']);
  });

  it('an owners edit from the picker is logged and reverts', async () => {
    const key = 'hive://gold.billing/subscription_status';
    const { view } = await openOwners(h, key, MINSU);
    expect((await h.submit(view, picks([MINSU]), MINSU)).body).toBe('');
    expect(await ownersOf(h, key)).toEqual(['minsu.lee']);
    const r = await h.command(`history ${key}`, { user: JIWOO });
    const [history] = await h.responses(r.responseUrl);
    const revert = findButton(history!.args.blocks, ACTION.revert);
    await h.click(revert.action_id, revert.value, { user: JIWOO, responseUrl: r.responseUrl });
    const [, after] = await h.responses(r.responseUrl, 2);
    expect(blocksText(after!.args.blocks)).toContain('Reverted the owners');
    expect(await ownersOf(h, key)).toEqual(['yerin.jung']);
  });

  it('keeps owners without Slack in checkboxes, ticked; unticking removes them; a forged value adds no one', async () => {
    const key = 'hive://gold.dim/dim_country';
    const t = (await h.deps.graph.getTable(key))!;
    await h.deps.graph.applyEdit({ tableKey: key, field: { kind: 'owners' }, value: ['etl.service', 'dongmin.choi'], actor: 'jiwoo.kim', expectedVersion: t.version });
    const { view, blocks } = await openOwners(h, key, MINSU);
    expect(blocks.find((b) => b.block_id === INPUT.owners)).toMatchObject({ optional: true, element: { initial_users: ['U0DEMO0005'] } });
    const keep = blocks.find((b) => b.block_id === INPUT.ownersKeep)!;
    expect(keep.element).toMatchObject({ type: 'checkboxes', action_id: INPUT.keep, options: [{ value: 'etl.service', text: { text: 'ETL service account (etl.service)' } }], initial_options: [{ value: 'etl.service' }] });
    const log = (await h.deps.graph.editLog(key)).length;
    // Saved as opened: nothing changed, nothing logged.
    expect((await h.submit(view, picks(['U0DEMO0005'], ['etl.service']), MINSU)).body).toBe('');
    expect(await h.deps.graph.editLog(key)).toHaveLength(log);
    // The picker left empty, the account kept; a forged keep of a non-owner is ignored.
    expect((await h.submit(view, picks([], ['etl.service', 'kevin.ng']), MINSU)).body).toBe('');
    expect(await ownersOf(h, key)).toEqual(['etl.service']);
    const next = await openOwners(h, key, MINSU);
    expect((await h.submit(next.view, picks([MINSU], []), MINSU)).body).toBe('');
    expect(await ownersOf(h, key)).toEqual(['minsu.lee']);
  });

  it('refuses an empty selection', async () => {
    const { view } = await openOwners(h, 'hive://gold.dim/dim_user', MINSU);
    const r = await h.submit(view, picks([]), MINSU);
    expect((r.json as Errors).errors[INPUT.owners]).toBe('A table needs at least one owner.');
  });

  it('hostile picks: unknown, deactivated, bot and malformed ids are refused in the dialog, nothing written', async () => {
    const key = 'hive://gold.marketing/install_attribution';
    const { view } = await openOwners(h, key, MINSU);
    const users = (await h.deps.graph.listUsers()).length;
    const r = await h.submit(view, picks([JIWOO, 'U0NOBODY01', 'U0GONE0001', 'U0BOT00001']), MINSU);
    const error = (r.json as Errors).errors[INPUT.owners]!;
    expect((r.json as Errors).response_action).toBe('errors');
    expect(error).toMatch(/couldn't find the Slack user U0NOBODY01 \(Slack said user_not_found/);
    expect(error).toMatch(/Gone Person has been deactivated in Slack/);
    expect(error).toMatch(/Deploy Bot is a bot or an app/);
    const bad = await h.submit(view, picks(['<script>', 'x'.repeat(150)]), MINSU);
    expect((bad.json as Errors).errors[INPUT.owners]).toMatch(/aren't Slack user ids/);
    const many = await h.submit(view, picks(Array.from({ length: 11 }, (_, i) => `U0MANY${String(i).padStart(4, '0')}`)), MINSU);
    expect((many.json as Errors).errors[INPUT.owners]).toMatch(/at most 10 owners \(you picked 11\)/);
    expect(h.fake.callsTo('users.info').filter((c) => String(c.args.user).startsWith('U0MANY'))).toHaveLength(0);
    expect(await h.deps.graph.editLog(key)).toHaveLength(0);
    expect(await h.deps.graph.listUsers()).toHaveLength(users);
    expect(await ownersOf(h, key)).toEqual(['taeyang.yoon']);
  });

  it('still detects a conflict with an edit made while the dialog was open, and names who', async () => {
    const key = 'hive://gold.marketing/ad_campaign_performance';
    const mine = await openOwners(h, key, MINSU);
    const theirs = await openOwners(h, key, JIWOO);
    expect((await h.submit(theirs.view, picks([JIWOO]), JIWOO)).body).toBe('');
    const late = await h.submit(mine.view, picks([NEWBIE]), MINSU);
    expect((late.json as Errors).errors[INPUT.owners]).toMatch(/^Jiwoo Kim edited gold\.marketing\.ad_campaign_performance while you were editing/);
    expect(await ownersOf(h, key)).toEqual(['jiwoo.kim']);
  });

  it('still reads a dialog opened before the picker (the old text box)', async () => {
    const key = 'hive://gold.billing/refunds';
    const { view } = await openOwners(h, key, MINSU);
    const r = await h.submit(view, { [INPUT.owners]: { [INPUT.value]: 'yerin.jung, <@U0DEMO0003>' } }, MINSU);
    expect(r.body).toBe('');
    expect(await ownersOf(h, key)).toEqual(['hana.cho', 'yerin.jung']);
  });
});

describe('the people picker when Slack will not say enough', () => {
  it('without users:read.email it cannot match a new person by email: says so, writes nothing', async () => {
    const h = await startHarness({ fake: { scopes: ['users:read'] } });
    try {
      h.fake.addUser({ id: NEWBIE, name: 'newbie', realName: 'Nari Baek', email: 'nari.baek@nansen-games.example' });
      const { view } = await openOwners(h, SESSIONS, MINSU);
      const r = await h.submit(view, picks([JIWOO, NEWBIE]), MINSU);
      expect((r.json as Errors).errors[INPUT.owners]).toMatch(/Slack doesn't show me Nari Baek's email.*users:read\.email/);
      const [call] = usersInfoFor(h, NEWBIE);
      expect(call!.response).toMatchObject({ ok: true, user: { id: NEWBIE } });
      expect((call!.response.user as { profile: Record<string, unknown> }).profile.email).toBeUndefined();
      expect(await h.deps.graph.getUserBySlackId(NEWBIE)).toBeUndefined();
      expect(await h.deps.graph.editLog(SESSIONS)).toHaveLength(0);
    } finally {
      await h.close();
    }
  });

  it('without users:read Slack answers missing_scope: the editor is told which scope, nothing written', async () => {
    const h = await startHarness({ fake: { scopes: [] } });
    try {
      h.fake.addUser({ id: NEWBIE, name: 'newbie', realName: 'Nari Baek', email: 'nari.baek@nansen-games.example' });
      const { view } = await openOwners(h, SESSIONS, MINSU);
      const r = await h.submit(view, picks([NEWBIE]), MINSU);
      expect((r.json as Errors).errors[INPUT.owners]).toMatch(/lacks the users:read scope/);
      expect(usersInfoFor(h, NEWBIE)[0]!.response).toMatchObject({ ok: false, error: 'missing_scope', needed: 'users:read' });
      expect(await ownersOf(h, SESSIONS)).toEqual(['jiwoo.kim']);
      // People the catalog knows by Slack id need no look-up, so they can still be picked.
      expect((await h.submit(view, picks([JIWOO, MINSU]), MINSU)).body).toBe('');
      expect(await ownersOf(h, SESSIONS)).toEqual(['jiwoo.kim', 'minsu.lee']);
    } finally {
      await h.close();
    }
  });
});
