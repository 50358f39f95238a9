import { submitEdit, revertEdit, tableHistory, mayEdit, type EditChange } from '../../src/core/edits';
import { EditConflictError, UserError } from '../../src/domain/errors';
import { effectiveDescription } from '../../src/domain/model';
import { analyze } from '../../src/text/analyze';
import type { WebClient } from '@slack/web-api';
import type { PeopleDirectory, ProfileLookup } from '../../src/ports/people-directory';
import { slackPeopleDirectory } from '../../src/slack/people-directory';
import { coreDeps, LATENCY, REVENUE } from './support';

const JIWOO = 'U01JIWOO01';
const MINSU = 'U01MINSU01';

describe('submitEdit', () => {
  it('writes a description, logs it with the catalog user as actor, and refreshes search at once', async () => {
    const d = await coreDeps();
    const r = await submitEdit({ tableKey: LATENCY, expectedVersion: 0, actorSlackId: MINSU, change: { kind: 'description', text: '  Quuxification latency  ' } }, d);
    expect(r.kind).toBe('saved');
    const t = (await d.graph.getTable(LATENCY))!;
    expect(effectiveDescription(t)).toBe('Quuxification latency');
    expect(t.version).toBe(1);
    const [e] = await d.graph.editLog(LATENCY);
    expect(e).toMatchObject({ actor: 'minsu.lee', oldValue: 'Hourly p50/p95 network latency per country, platform and game.', newValue: 'Quuxification latency' });
    const hits = await d.search.search({ clauses: analyze('quuxification').map((term) => ({ term, boost: 1 })), limit: 3 });
    expect(hits.map((h) => h.key)).toEqual([LATENCY]);
    await d.close();
  });

  it('returns field errors and writes nothing for invalid input', async () => {
    const d = await coreDeps();
    const cases: EditChange[] = [
      { kind: 'description', text: 'x'.repeat(2001) },
      { kind: 'description', text: '   ' },
      { kind: 'tags', text: 'good, b@d' },
      { kind: 'tags', text: Array.from({ length: 21 }, (_, i) => `t${i}`).join(',') },
      { kind: 'owners', text: 'ghost.user' },
      { kind: 'owners', text: '' },
      { kind: 'owners', text: '<@U0NOBODY1>' },
      { kind: 'column_descriptions', descriptions: { country_code: 'y'.repeat(1001) } },
      { kind: 'column_descriptions', descriptions: { no_such_column: 'x' } },
    ];
    for (const change of cases) {
      const r = await submitEdit({ tableKey: LATENCY, expectedVersion: 0, actorSlackId: MINSU, change }, d);
      expect(r.kind).toBe('invalid');
    }
    expect(await d.graph.editLog(LATENCY)).toHaveLength(0);
    await d.close();
  });

  it('leaves unchanged values alone', async () => {
    const d = await coreDeps();
    const r = await submitEdit({ tableKey: LATENCY, expectedVersion: 0, actorSlackId: MINSU, change: { kind: 'tags', text: 'latency network' } }, d);
    expect(r.kind).toBe('unchanged');
    await d.close();
  });

  it('refuses a stale version with a conflict, writing nothing', async () => {
    const d = await coreDeps();
    await submitEdit({ tableKey: LATENCY, expectedVersion: 0, actorSlackId: JIWOO, change: { kind: 'description', text: 'first' } }, d);
    await expect(submitEdit({ tableKey: LATENCY, expectedVersion: 0, actorSlackId: MINSU, change: { kind: 'description', text: 'second' } }, d)).rejects.toBeInstanceOf(EditConflictError);
    expect(effectiveDescription((await d.graph.getTable(LATENCY))!)).toBe('first');
    await d.close();
  });

  it('of two concurrent edits from one version, exactly one is saved', async () => {
    const d = await coreDeps();
    const results = await Promise.allSettled(['a', 'b', 'c'].map((text) => submitEdit({ tableKey: LATENCY, expectedVersion: 0, actorSlackId: MINSU, change: { kind: 'description', text } }, d)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof EditConflictError)).toHaveLength(2);
    expect(await d.graph.editLog(LATENCY)).toHaveLength(1);
    await d.close();
  });

  it('writes several column descriptions as a chain of versions', async () => {
    const d = await coreDeps();
    const r = await submitEdit({ tableKey: LATENCY, expectedVersion: 0, actorSlackId: MINSU, change: { kind: 'column_descriptions', descriptions: { dt: 'partition date', country_code: 'two-letter code', avg_rtt_ms: 'mean RTT (ms)' } } }, d);
    expect(r.kind === 'saved' && r.entries.map((e) => e.field)).toEqual([{ kind: 'column_description', column: 'country_code' }, { kind: 'column_description', column: 'avg_rtt_ms' }]);
    expect((await d.graph.getTable(LATENCY))!.version).toBe(2);
    await d.close();
  });

  it('resolves owners from catalog ids and Slack mentions', async () => {
    const d = await coreDeps();
    await submitEdit({ tableKey: REVENUE, expectedVersion: 0, actorSlackId: MINSU, change: { kind: 'owners', text: '@hana.cho, <@U01JIWOO01|jiwoo>' } }, d);
    expect((await d.graph.getTable(REVENUE))!.humanOwners).toEqual(['jiwoo.kim', 'hana.cho']);
    await d.close();
  });
});

describe('owners picked in Slack', () => {
  const found = (slackId: string, name: string, email?: string): ProfileLookup => ({ kind: 'found', profile: { slackId, name, ...(email ? { email } : {}), isBot: false, deleted: false } });
  const directory = (answers: Record<string, ProfileLookup>): PeopleDirectory & { asked: string[] } => {
    const asked: string[] = [];
    return { asked, profile: async (id) => (asked.push(id), answers[id] ?? { kind: 'not_found' }) };
  };

  it('matches by email case-insensitively, creates the rest with ids that do not clash, keeps catalog-only owners', async () => {
    const d = await coreDeps();
    // hana.cho has no Slack id in the sample catalog: she is an owner without Slack.
    const dir = directory({ U0JIWOO002: found('U0JIWOO002', 'Other Jiwoo', 'Jiwoo.Kim@other.example'), U0NEW00001: found('U0NEW00001', 'New Person', 'new.person@example.com') });
    const r = await submitEdit({ tableKey: REVENUE, expectedVersion: 0, actorSlackId: MINSU, change: { kind: 'owner_picks', slackUsers: [JIWOO, 'U0JIWOO002', 'U0NEW00001'], keep: ['hana.cho'] } }, { ...d, directory: dir });
    expect(r.kind).toBe('saved');
    expect(dir.asked.sort()).toEqual(['U0JIWOO002', 'U0NEW00001']);
    expect((await d.graph.getTable(REVENUE))!.humanOwners).toEqual(['hana.cho', 'jiwoo.kim', 'jiwoo.kim.u0jiwoo002', 'new.person']);
    expect(await d.graph.getUsers(['jiwoo.kim.u0jiwoo002', 'new.person'])).toEqual(
      expect.arrayContaining([
        { id: 'jiwoo.kim.u0jiwoo002', name: 'Other Jiwoo', email: 'Jiwoo.Kim@other.example', slackId: 'U0JIWOO002' },
        { id: 'new.person', name: 'New Person', email: 'new.person@example.com', slackId: 'U0NEW00001' },
      ]),
    );
    await d.close();
  });

  it('a failed look-up is a field error naming the person and the reason; nothing written', async () => {
    const d = await coreDeps();
    const r = await submitEdit({ tableKey: REVENUE, expectedVersion: 0, actorSlackId: MINSU, change: { kind: 'owner_picks', slackUsers: ['U0SLOW0001'], keep: [] } }, { ...d, directory: directory({ U0SLOW0001: { kind: 'failed', code: 'ratelimited' } }) });
    expect(r).toEqual({ kind: 'invalid', errors: { owners: expect.stringMatching(/couldn't look up U0SLOW0001 in Slack \(ratelimited\)/) } });
    const none = await submitEdit({ tableKey: REVENUE, expectedVersion: 0, actorSlackId: MINSU, change: { kind: 'owner_picks', slackUsers: ['U0SLOW0001'], keep: [] } }, d);
    expect(none).toEqual({ kind: 'invalid', errors: { owners: expect.stringMatching(/can't look up U0SLOW0001/) } });
    expect(await d.graph.editLog(REVENUE)).toHaveLength(0);
    expect(await d.graph.listUsers()).toHaveLength(3);
    await d.close();
  });

  it('the Slack adapter maps users.info failures to lookups and never rejects', async () => {
    const client = (impl: () => Promise<unknown>) => ({ users: { info: impl } }) as unknown as WebClient;
    const platform = (error: string) => () => Promise.reject(Object.assign(new Error(error), { code: 'slack_webapi_platform_error', data: { ok: false, error } }));
    expect(await slackPeopleDirectory(client(platform('user_not_found'))).profile('U1')).toEqual({ kind: 'not_found' });
    expect(await slackPeopleDirectory(client(platform('missing_scope'))).profile('U1')).toEqual({ kind: 'failed', code: 'missing_scope' });
    expect(await slackPeopleDirectory(client(() => Promise.reject(Object.assign(new Error('socket hang up'), { code: 'slack_webapi_request_error' })))).profile('U1')).toEqual({ kind: 'failed', code: 'slack_webapi_request_error' });
    const ok = await slackPeopleDirectory(client(() => Promise.resolve({ ok: true, user: { id: 'U1', name: 'h', real_name: 'Real', profile: { real_name: '', display_name: 'Disp', email: ' a@b.c ' } } }))).profile('U1');
    expect(ok).toEqual({ kind: 'found', profile: { slackId: 'U1', name: 'Real', email: 'a@b.c', isBot: false, deleted: false } });
  });
});

describe('edit policy (owners + admins), enforced on the server', () => {
  it('lets owners and admins edit, refuses others politely without writing', async () => {
    const d = await coreDeps({ mode: 'owners', admins: new Set(['U0ADMIN001']) });
    const edit = (actorSlackId: string, text: string) => submitEdit({ tableKey: LATENCY, expectedVersion: (0), actorSlackId, change: { kind: 'description', text } }, d);
    const refused = await edit(MINSU, 'nope').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as UserError).code).toBe('forbidden');
    expect((refused as UserError).message).toContain('Jiwoo Kim');
    expect(await d.graph.editLog(LATENCY)).toHaveLength(0);
    expect((await edit(JIWOO, 'owner edit')).kind).toBe('saved');
    expect((await submitEdit({ tableKey: LATENCY, expectedVersion: 1, actorSlackId: 'U0ADMIN001', change: { kind: 'description', text: 'admin edit' } }, d)).kind).toBe('saved');
    await d.close();
  });

  it('mayEdit follows the effective owners (a person who set owners counts, the source’s stop counting)', () => {
    const policy = { mode: 'owners' as const, admins: new Set<string>() };
    const actor = { id: 'hana.cho', slackId: 'U3', user: { id: 'hana.cho', name: 'Hana' } };
    expect(mayEdit({ sourceOwners: ['hana.cho'] }, actor, policy)).toBe(true);
    expect(mayEdit({ sourceOwners: ['hana.cho'], humanOwners: ['jiwoo.kim'] }, actor, policy)).toBe(false);
    expect(mayEdit({ sourceOwners: ['hana.cho'] }, { id: 'U3', slackId: 'U3' }, policy)).toBe(false);
    expect(mayEdit({ sourceOwners: [] }, { id: 'U3', slackId: 'U3' }, { mode: 'everyone' })).toBe(true);
  });
});

describe('revert and history', () => {
  it('reverts an edit as a new edit with revertOf, and history marks the reverted one', async () => {
    const d = await coreDeps();
    const saved = await submitEdit({ tableKey: LATENCY, expectedVersion: 0, actorSlackId: MINSU, change: { kind: 'tags', text: 'oops' } }, d);
    if (saved.kind !== 'saved') throw new Error('expected saved');
    const { entry } = await revertEdit({ editId: saved.entries[0]!.id, actorSlackId: JIWOO, expectedVersion: 1 }, d);
    expect(entry).toMatchObject({ revertOf: saved.entries[0]!.id, newValue: ['latency', 'network'], actor: 'jiwoo.kim' });
    const h = await tableHistory(LATENCY, d);
    expect(h.entries.map((e) => [e.actorRef.slackId, Boolean(e.revertOf), e.revertedBy])).toEqual([
      ['U01JIWOO01', true, undefined],
      ['U01MINSU01', false, entry.id],
    ]);
    await expect(revertEdit({ editId: 'no-such-edit', actorSlackId: JIWOO }, d)).rejects.toMatchObject({ code: 'unknown_edit' });
    await expect(revertEdit({ editId: saved.entries[0]!.id, actorSlackId: JIWOO, expectedVersion: 1 }, d)).rejects.toBeInstanceOf(EditConflictError);
    await d.close();
  });
});
