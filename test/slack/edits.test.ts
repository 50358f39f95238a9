import { effectiveDescription, effectiveTags } from '../../src/domain/model';
import { analyze } from '../../src/text/analyze';
import { ACTION, INPUT } from '../../src/render/blocks-actions';
import * as P from '../../tools/fake-slack/payloads';
import type { RecordedCall } from '../../tools/fake-slack/server';
import { blocksText, findButton, findMenuOption, type Harness, JIWOO, MINSU, SECRET, SESSIONS, STRANGER, startHarness } from './harness';

const MENU: Record<string, string> = { [ACTION.editDescription]: 'description', [ACTION.editColumns]: 'columns', [ACTION.editTags]: 'tags', [ACTION.editOwners]: 'owners' };

/** Opens the card of a table as `user` and clicks one of its edit buttons; resolves with the opened view. */
async function openEditor(h: Harness, table: string, action: string, user: string): Promise<{ view: Record<string, unknown>; card: RecordedCall; responseUrl: string }> {
  const r = await h.command(table, { user });
  const [card] = await h.responses(r.responseUrl);
  const option = findMenuOption(card!.args.blocks, MENU[action]!);
  const click = await h.click(option.action_id, option.value, { user, responseUrl: r.responseUrl, selectedOption: option.selectedOption });
  const open = await h.fake.waitForCall('views.open', (c) => c.args.trigger_id === click.triggerId);
  if (!open.response.ok) throw new Error(JSON.stringify(open.response));
  return { view: (open.response as { view: Record<string, unknown> }).view, card: card!, responseUrl: r.responseUrl };
}

function searchKeys(h: Harness, words: string): Promise<string[]> {
  return h.deps.search.search({ clauses: analyze(words).map((term) => ({ term, boost: 1 })), limit: 5 }).then((hits) => hits.map((x) => x.key));
}

describe('edits through modals (policy: everyone)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('edits a description: dialog within the trigger, graph + search + edit log updated, the card refreshed', async () => {
    const { view, responseUrl } = await openEditor(h, SESSIONS, ACTION.editDescription, MINSU);
    expect(JSON.parse(view.private_metadata as string)).toMatchObject({ key: SESSIONS, v: 0 });
    const r = await h.submit(view, { [INPUT.description]: { [INPUT.value]: 'Player sessions, one row each; zorblatt marker.' } }, MINSU);
    expect(r.status).toBe(200);
    expect(r.body).toBe('');
    const t = await h.deps.graph.getTable(SESSIONS);
    expect(effectiveDescription(t!)).toBe('Player sessions, one row each; zorblatt marker.');
    expect(t!.sourceDescription).toContain('One row per game session');
    const [entry] = await h.deps.graph.editLog(SESSIONS);
    expect(entry).toMatchObject({ actor: 'minsu.lee', field: { kind: 'description' }, newValue: 'Player sessions, one row each; zorblatt marker.' });
    expect(entry!.oldValue).toContain('One row per game session');
    expect(await searchKeys(h, 'zorblatt')).toEqual([SESSIONS]);
    const [, updated] = await h.responses(responseUrl, 2);
    expect(updated!.args.replace_original).toBe(true);
    expect(blocksText(updated!.args.blocks)).toContain('zorblatt');
    expect(blocksText(updated!.args.blocks)).toContain('_(written by people)_');
  });

  it('concurrent edits of the same description: one is saved, the other sees a conflict in its dialog', async () => {
    const key = 'hive://gold.game_log/match_results';
    const a = await openEditor(h, key, ACTION.editDescription, JIWOO);
    const b = await openEditor(h, key, ACTION.editDescription, MINSU);
    const [ra, rb] = await Promise.all([
      h.submit(a.view, { [INPUT.description]: { [INPUT.value]: 'Version from Jiwoo' } }, JIWOO),
      h.submit(b.view, { [INPUT.description]: { [INPUT.value]: 'Version from Minsu' } }, MINSU),
    ]);
    const bodies = [ra, rb].map((r) => (r.body ? (r.json as { response_action: string; errors: Record<string, string> }) : undefined));
    const saved = bodies.filter((x) => x === undefined);
    const refused = bodies.filter((x) => x !== undefined);
    expect(saved).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.response_action).toBe('errors');
    expect(refused[0]!.errors[INPUT.description]).toMatch(/(Jiwoo Kim|Minsu Lee) edited gold\.game_log\.match_results while you were editing/);
    const log = await h.deps.graph.editLog(key);
    expect(log).toHaveLength(1);
    const winner = log[0]!.newValue;
    expect(effectiveDescription((await h.deps.graph.getTable(key))!)).toBe(winner);
  });

  it('a dialog opened on an old card conflicts after someone else saved', async () => {
    const key = 'hive://gold.ops/matchmaking_wait_times';
    const first = await openEditor(h, key, ACTION.editTags, JIWOO);
    const second = await openEditor(h, key, ACTION.editDescription, MINSU);
    const ok = await h.submit(first.view, { [INPUT.tags]: { [INPUT.value]: 'matchmaking, ops, queues' } }, JIWOO);
    expect(ok.body).toBe('');
    const late = await h.submit(second.view, { [INPUT.description]: { [INPUT.value]: 'overwrite?' } }, MINSU);
    expect((late.json as { errors: Record<string, string> }).errors[INPUT.description]).toMatch(/reopen/);
    expect(effectiveDescription((await h.deps.graph.getTable(key))!)).not.toBe('overwrite?');
  });

  it('a conflict names who made the other edit', async () => {
    const key = 'hive://gold.trust_safety/anticheat_flags';
    const mine = await openEditor(h, key, ACTION.editDescription, MINSU);
    const theirs = await openEditor(h, key, ACTION.editTags, JIWOO);
    expect((await h.submit(theirs.view, { [INPUT.tags]: { [INPUT.value]: 'crashes, stability' } }, JIWOO)).body).toBe('');
    const late = await h.submit(mine.view, { [INPUT.description]: { [INPUT.value]: 'too late' } }, MINSU);
    expect((late.json as { errors: Record<string, string> }).errors[INPUT.description]).toMatch(/^Jiwoo Kim edited gold\.trust_safety\.anticheat_flags while you were editing/);
  });

  it('a conflict with one\'s own edit in another dialog says so', async () => {
    const key = 'hive://gold.billing/daily_revenue';
    const first = await openEditor(h, key, ACTION.editDescription, MINSU);
    const second = await openEditor(h, key, ACTION.editTags, MINSU);
    expect((await h.submit(second.view, { [INPUT.tags]: { [INPUT.value]: 'money, refunds' } }, MINSU)).body).toBe('');
    const late = await h.submit(first.view, { [INPUT.description]: { [INPUT.value]: 'stale dialog' } }, MINSU);
    expect((late.json as { errors: Record<string, string> }).errors[INPUT.description]).toMatch(/^You edited gold\.billing\.daily_revenue yourself/);
  });

  it('confirms a saved edit ephemerally in the channel when the card\'s response_url has expired', async () => {
    const key = 'hive://gold.trust_safety/chat_moderation_events';
    const { view, responseUrl } = await openEditor(h, key, ACTION.editDescription, MINSU);
    h.fake.expireResponseUrl(responseUrl);
    const r = await h.submit(view, { [INPUT.description]: { [INPUT.value]: 'Saved after the card expired; quokka marker.' } }, MINSU);
    expect(r.body).toBe('');
    const refused = await h.fake.waitForCall('response_url', (c) => c.args.url_id === responseUrl.split('/').pop() && c.status === 404);
    expect(refused.response).toMatchObject({ ok: false, error: 'expired_url' });
    const eph = await h.fake.waitForCall('chat.postEphemeral', (c) => c.args.user === MINSU && blocksText(c.args.blocks).includes('quokka'));
    expect(eph.args.channel).toBe('C0GENERAL1');
    expect(eph.response.ok).toBe(true);
    expect(blocksText(eph.args.blocks)).toMatch(/Saved your edit of the description/);
  });

  it('refuses oversized input in the dialog, politely, writing nothing', async () => {
    const key = 'hive://gold.game_log/crash_reports';
    const { view } = await openEditor(h, key, ACTION.editDescription, MINSU);
    const r = await h.submit(view, { [INPUT.description]: { [INPUT.value]: 'x'.repeat(2600) } }, MINSU);
    expect(r.json).toMatchObject({ response_action: 'errors' });
    expect((r.json as { errors: Record<string, string> }).errors[INPUT.description]).toMatch(/2,600 characters.*under 2,000/);
    expect(await h.deps.graph.editLog(key)).toHaveLength(0);
  });

  it('validates tags and owners with field errors; saves valid ones', async () => {
    const key = 'hive://gold.billing/refunds';
    const tags = await openEditor(h, key, ACTION.editTags, MINSU);
    const bad = await h.submit(tags.view, { [INPUT.tags]: { [INPUT.value]: 'ok, not/ok' } }, MINSU);
    expect((bad.json as { errors: Record<string, string> }).errors[INPUT.tags]).toMatch(/not\/ok/);
    const good = await h.submit(tags.view, { [INPUT.tags]: { [INPUT.value]: 'Revenue, chargebacks' } }, MINSU);
    expect(good.body).toBe('');
    expect(effectiveTags((await h.deps.graph.getTable(key))!)).toEqual(['revenue', 'chargebacks']);
    const owners = await openEditor(h, key, ACTION.editOwners, MINSU);
    const unknown = await h.submit(owners.view, { [INPUT.owners]: { [INPUT.value]: 'yerin.jung, nobody.here' } }, MINSU);
    expect((unknown.json as { errors: Record<string, string> }).errors[INPUT.owners]).toMatch(/I don't know nobody\.here/);
    const ok = await h.submit(owners.view, { [INPUT.owners]: { [INPUT.value]: 'yerin.jung, <@U0DEMO0003>' } }, MINSU);
    expect(ok.body).toBe('');
    expect((await h.deps.graph.getTable(key))!.humanOwners).toEqual(['hana.cho', 'yerin.jung']);
  });

  it('edits column descriptions of the card’s page', async () => {
    const key = 'hive://gold.dim/dim_game';
    const { view } = await openEditor(h, key, ACTION.editColumns, MINSU);
    const meta = JSON.parse(view.private_metadata as string) as { cols: string[] };
    expect(meta.cols).toEqual(['game_id', 'title', 'genre', 'studio', 'launched_on']);
    const values = Object.fromEntries(meta.cols.map((c, i) => [`${INPUT.columnPrefix}${i}`, { [INPUT.value]: c === 'genre' ? 'Primary genre (RPG, FPS, ...)' : '' }]));
    const r = await h.submit(view, values, MINSU);
    expect(r.body).toBe('');
    const log = await h.deps.graph.editLog(key);
    expect(log.map((e) => e.field)).toEqual([{ kind: 'column_description', column: 'genre' }]);
  });

  it('lists history with revert; revert writes the old value back as a new edit', async () => {
    const key = 'hive://gold.dim/dim_item';
    const { view } = await openEditor(h, key, ACTION.editDescription, MINSU);
    await h.submit(view, { [INPUT.description]: { [INPUT.value]: 'A mistaken description' } }, MINSU);
    const r = await h.command(`history ${key}`, { user: JIWOO });
    const [history] = await h.responses(r.responseUrl);
    expect(blocksText(history!.args.blocks)).toContain('A mistaken description');
    const revert = findButton(history!.args.blocks, ACTION.revert);
    await h.click(revert.action_id, revert.value, { user: JIWOO, responseUrl: r.responseUrl });
    const [, after] = await h.responses(r.responseUrl, 2);
    expect(blocksText(after!.args.blocks)).toContain('Reverted the description');
    const log = await h.deps.graph.editLog(key);
    expect(log).toHaveLength(2);
    expect(log[0]!.revertOf).toBe(log[1]!.id);
    expect(log[0]!.actor).toBe('jiwoo.kim');
    expect(effectiveDescription((await h.deps.graph.getTable(key))!)).toContain('In-game items');
  });

  it('a person the catalog does not know edits under their Slack id', async () => {
    const key = 'hive://gold.marketing/push_notification_sends';
    const { view } = await openEditor(h, key, ACTION.editDescription, STRANGER);
    await h.submit(view, { [INPUT.description]: { [INPUT.value]: 'Push sends' } }, STRANGER);
    expect((await h.deps.graph.editLog(key))[0]!.actor).toBe(STRANGER);
  });
});

describe('edits under the owners + admins policy', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ policy: { mode: 'owners', admins: new Set(['U0ADMIN001']) } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('does not open the dialog for a non-owner and says who can edit', async () => {
    const r = await h.command(SESSIONS, { user: MINSU });
    const [card] = await h.responses(r.responseUrl);
    const b = findMenuOption(card!.args.blocks, 'description');
    const click = await h.click(b.action_id, b.value, { user: MINSU, responseUrl: r.responseUrl, selectedOption: b.selectedOption });
    const [, told] = await h.responses(r.responseUrl, 2);
    expect(blocksText(told!.args.blocks)).toMatch(/Only the owners of game_log.sessions \(Jiwoo Kim\) and Nansen admins can edit it/);
    expect(h.fake.callsTo('views.open').filter((c) => c.args.trigger_id === click.triggerId)).toHaveLength(0);
  });

  it('enforces the policy on submission too (a forged or stale dialog): polite error, nothing written', async () => {
    const owner = await openEditor(h, SESSIONS, ACTION.editDescription, JIWOO);
    const r = await h.submit(owner.view, { [INPUT.description]: { [INPUT.value]: 'not allowed' } }, MINSU);
    expect((r.json as { errors: Record<string, string> }).errors[INPUT.description]).toMatch(/Only the owners/);
    expect(await h.deps.graph.editLog(SESSIONS)).toHaveLength(0);
  });

  it('lets owners and admins edit, and a non-owner cannot revert', async () => {
    const owner = await openEditor(h, SESSIONS, ACTION.editDescription, JIWOO);
    expect((await h.submit(owner.view, { [INPUT.description]: { [INPUT.value]: 'By the owner' } }, JIWOO)).body).toBe('');
    const admin = await openEditor(h, SESSIONS, ACTION.editDescription, 'U0ADMIN001');
    expect((await h.submit(admin.view, { [INPUT.description]: { [INPUT.value]: 'By an admin' } }, 'U0ADMIN001')).body).toBe('');
    const r = await h.command(`history ${SESSIONS}`, { user: MINSU });
    const [history] = await h.responses(r.responseUrl);
    const revert = findButton(history!.args.blocks, ACTION.revert);
    await h.click(revert.action_id, revert.value, { user: MINSU, responseUrl: r.responseUrl });
    const [, told] = await h.responses(r.responseUrl, 2);
    expect(blocksText(told!.args.blocks)).toMatch(/Only the owners/);
    expect(await h.deps.graph.editLog(SESSIONS)).toHaveLength(2);
  });
});

describe('bad input', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ fake: { triggerTtlMs: 3000 } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers a malformed interactive payload with 400 and writes nothing', async () => {
    const r = await P.postSigned(h.url, SECRET, P.formEncode({ payload: '{not json' }));
    expect(r.status).toBe(400);
    const r2 = await P.postSigned(h.url, SECRET, '{"broken": ', { contentType: 'application/json' });
    expect(r2.status).toBe(400);
  });

  it('tells the person politely about a button with a malformed value', async () => {
    const click = await h.click(`${ACTION.editDescription}`, '{"key": 42}');
    expect(click.status).toBe(200);
    const [told] = await h.responses(click.responseUrl);
    expect(blocksText(told!.args.blocks)).toMatch(/didn't make sense/);
    const click2 = await h.click(`${ACTION.openCard}:3`, 'not json at all');
    const [told2] = await h.responses(click2.responseUrl);
    expect(blocksText(told2!.args.blocks)).toMatch(/didn't make sense/);
  });

  it('acknowledges an unknown action id and says so', async () => {
    const click = await h.click('nansen.something.old', '{}');
    expect(click.status).toBe(200);
    const [told] = await h.responses(click.responseUrl);
    expect(blocksText(told!.args.blocks)).toMatch(/isn't one I know/);
  });

  it('closes a submission with unreadable metadata and DMs the person; nothing written', async () => {
    const r = await h.submit({ id: 'V0FORGED01', type: 'modal', callback_id: 'nansen.view.edit.description', private_metadata: '{"key":', blocks: [] }, { [INPUT.description]: { [INPUT.value]: 'forged' } }, MINSU);
    expect(r.status).toBe(200);
    const dm = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === MINSU);
    expect(blocksText(dm.args.blocks)).toMatch(/didn't make sense/);
    expect(await h.deps.graph.recentEdits(10)).toHaveLength(0);
  });

  it('answers a submission for a table that does not exist with a field error', async () => {
    const r = await h.submit({ id: 'V0FORGED02', type: 'modal', callback_id: 'nansen.view.edit.description', private_metadata: JSON.stringify({ key: 'hive://gold.nope/nothing', v: 0 }), blocks: [] }, { [INPUT.description]: { [INPUT.value]: 'x' } }, MINSU);
    expect((r.json as { errors: Record<string, string> }).errors[INPUT.description]).toMatch(/couldn't find a table/);
  });

  it('closes a submission of an unknown dialog and says so', async () => {
    const r = await h.submit({ id: 'V0FORGED03', type: 'modal', callback_id: 'nansen.view.other', private_metadata: '', blocks: [] }, {}, 'U0UNKNOWNV');
    expect(r.status).toBe(200);
    const dm = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0UNKNOWNV');
    expect(blocksText(dm.args.blocks)).toMatch(/don't know that dialog/);
  });

  it('tells the person to click again when the trigger expired before the dialog could open', async () => {
    const r = await h.command(SESSIONS, { user: MINSU });
    const [card] = await h.responses(r.responseUrl);
    const b = findMenuOption(card!.args.blocks, 'tags');
    const staleTrigger = `1.${Date.now() - 5000}.deadbeef`;
    await P.postInteraction(h.url, SECRET, P.blockAction({ actionId: b.action_id, userId: MINSU, triggerId: staleTrigger, responseUrl: r.responseUrl, selectedOption: b.selectedOption }));
    const open = await h.fake.waitForCall('views.open', (c) => c.args.trigger_id === staleTrigger);
    expect(open.response).toMatchObject({ ok: false, error: 'expired_trigger_id' });
    const [, told] = await h.responses(r.responseUrl, 2);
    expect(blocksText(told!.args.blocks)).toMatch(/click the button again/);
  });
});
