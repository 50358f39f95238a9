import { forgetDirectory } from '../../src/answering/directory';
import { summarizeCadence } from '../../src/core/cadence';
import { converse, stripLeadingMentions } from '../../src/core/conversation';
import { parseDataCommand, runDataCommand } from '../../src/core/data-command';
import { homeData } from '../../src/core/home';
import { looksLikeTableRef, resolveTableRef } from '../../src/core/resolve-table';
import { searchCatalog } from '../../src/core/search-catalog';
import { tableCard } from '../../src/core/table-card';
import { coreDeps, LATENCY, NOW, REVENUE } from './support';
import type { Answer, Question } from '../../src/answering/types';

const hours = (start: string, n: number, stepH: number, jitterMin = 0) => Array.from({ length: n }, (_, i) => new Date(Date.parse(start) + i * stepH * 3_600_000 + ((i % 3) - 1) * jitterMin * 60_000).toISOString());

describe('cadence from load history', () => {
  it.each([
    ['hourly', hours('2026-11-22T00:05:00Z', 50, 1, 1), 'hourly'],
    ['daily at 03:10 KST', hours('2026-11-01T18:10:00Z', 20, 24, 3), 'daily'],
    ['weekly', hours('2026-09-07T01:00:00Z', 10, 24 * 7), 'weekly'],
    ['monthly-ish', ['2026-06-01T02:00:00Z', '2026-07-01T02:00:00Z', '2026-08-01T02:00:00Z', '2026-09-01T02:00:00Z', '2026-10-01T02:00:00Z', '2026-11-01T02:00:00Z'], 'monthly'],
    ['irregular', ['2026-11-01T00:00:00Z', '2026-11-01T05:00:00Z', '2026-11-04T00:00:00Z', '2026-11-04T01:00:00Z', '2026-11-12T00:00:00Z', '2026-11-20T09:00:00Z'], 'irregular'],
  ])('%s', (_, updates, label) => {
    expect(summarizeCadence(updates, NOW, 'Asia/Seoul')?.label).toBe(label);
  });

  it('knows the typical time and lateness', () => {
    const daily = summarizeCadence(hours('2026-11-01T18:10:00Z', 20, 24), new Date('2026-11-20T20:00:00Z'), 'Asia/Seoul');
    expect(daily).toMatchObject({ label: 'daily', typicalTime: '03:10', late: false });
    const lateHourly = summarizeCadence(hours('2026-11-23T00:05:00Z', 20, 1), NOW, 'UTC');
    expect(lateHourly).toMatchObject({ label: 'hourly', typicalMinute: 5, late: true });
    expect(summarizeCadence(['2026-11-01T00:00:00Z'], NOW, 'UTC')).toBeUndefined();
  });
});

describe('/data parsing', () => {
  it.each([
    ['', { kind: 'help' }],
    ['  help ', { kind: 'help' }],
    ['history game_log.sessions', { kind: 'history', ref: 'game_log.sessions' }],
    ['HISTORY  x', { kind: 'history', ref: 'x' }],
    ['tag Latency', { kind: 'tag', tag: 'latency', page: 0 }],
    ['#network', { kind: 'tag', tag: 'network', page: 0 }],
    ['latency by country', { kind: 'lookup', text: 'latency by country', page: 0 }],
    ['sessions', { kind: 'lookup', text: 'sessions', page: 0 }],
  ])('%j', (text, expected) => {
    expect(parseDataCommand(text)).toEqual(expected);
  });

  it('caps absurdly long input', () => {
    const r = parseDataCommand('a '.repeat(10_000));
    expect(r.kind === 'lookup' && r.text.length).toBeLessThanOrEqual(500);
  });
});

describe('finding tables by name', () => {
  it('tells names from searches', () => {
    for (const t of ['sessions', 'game_log.sessions', 'gold.game_log.sessions', 'hive://gold.game_log/sessions', '`dim_user`']) expect(looksLikeTableRef(t)).toBe(true);
    for (const t of ['latency by country', 'who owns x?', '']) expect(looksLikeTableRef(t)).toBe(false);
  });

  it('resolves bare names, schema.name and keys; reports ambiguity and misses', async () => {
    const d = await coreDeps();
    expect(await resolveTableRef('session_latency_hourly', d)).toMatchObject({ kind: 'found', table: { key: LATENCY } });
    expect(await resolveTableRef('BILLING.daily_revenue', d)).toMatchObject({ kind: 'found', table: { key: REVENUE } });
    expect(await resolveTableRef(REVENUE, d)).toMatchObject({ kind: 'found' });
    expect(await resolveTableRef('hive://gold.billing/nothing', d)).toEqual({ kind: 'none' });
    expect(await resolveTableRef('nothing_here', d)).toEqual({ kind: 'none' });
    await d.graph.upsertTables([{ key: 'hive://gold.other/daily_revenue', database: 'hive', cluster: 'gold', schema: 'other', name: 'daily_revenue', columns: [] }]);
    forgetDirectory(d.graph);
    expect(await resolveTableRef('daily_revenue', d)).toEqual({ kind: 'ambiguous', keys: ['hive://gold.billing/daily_revenue', 'hive://gold.other/daily_revenue'] });
    await d.close();
  });

  it('runs /data: a card for a name, results for words, a page beyond the end is empty', async () => {
    const d = await coreDeps();
    const card = await runDataCommand(parseDataCommand('session_latency_hourly'), d);
    expect(card.kind).toBe('card');
    const search = await runDataCommand(parseDataCommand('latency country'), d);
    expect(search.kind === 'search' && search.page.items[0]?.key).toBe(LATENCY);
    const far = await searchCatalog('latency', 9, d);
    expect(far.items).toEqual([]);
    const hist = await runDataCommand(parseDataCommand('history nope'), d);
    expect(hist.kind).toBe('not_found');
    const tagged = await runDataCommand(parseDataCommand('tag latency'), d);
    expect(tagged.kind === 'tag' && tagged.page.items.map((i) => i.key)).toEqual([LATENCY]);
    await d.close();
  });
});

describe('table card data', () => {
  it('prefers a person’s description, shows owners with Slack ids, lineage titles, dashboards', async () => {
    const d = await coreDeps();
    const card = await tableCard(REVENUE, d);
    expect(card).toMatchObject({ title: 'billing.daily_revenue', descriptionFrom: 'source', owners: [{ id: 'hana.cho', name: 'Hana Cho' }], upstream: [{ key: LATENCY, title: 'game_log.session_latency_hourly' }], dashboards: [{ name: 'Revenue Overview' }] });
    await d.graph.applyEdit({ tableKey: REVENUE, field: { kind: 'description' }, value: 'Human text', actor: 'x' });
    expect(await tableCard(REVENUE, d)).toMatchObject({ description: 'Human text', descriptionFrom: 'human', version: 1 });
    const latency = await tableCard(LATENCY, d);
    expect(latency.owners[0]).toEqual({ id: 'jiwoo.kim', name: 'Jiwoo Kim', slackId: 'U01JIWOO01' });
    expect(latency.frequentUsers.map((u) => [u.id, u.count])).toEqual([['minsu.lee', 120], ['hana.cho', 30]]);
    await expect(tableCard('hive://gold.x/none', d)).rejects.toMatchObject({ code: 'unknown_table' });
    await d.close();
  });
});

describe('conversations', () => {
  it('strips leading mentions only', () => {
    expect(stripLeadingMentions('<@U0NANSEN> <@U2|x>, is it hourly?')).toBe('is it hourly?');
    expect(stripLeadingMentions('ask <@U2> about it')).toBe('ask <@U2> about it');
  });

  it('passes earlier questions and the subject to the answering core, and remembers the new subject', async () => {
    const d = await coreDeps();
    const seen: Question[] = [];
    const answer = async (q: Question): Promise<Answer> => {
      seen.push(q);
      return { kind: 'owners', table: LATENCY, subject: LATENCY, users: [], lang: 'en', now: NOW.toISOString(), refs: { tables: {}, dashboards: {}, users: {} } };
    };
    await converse({ text: '<@U0BOT> who owns session_latency_hourly?', threadKey: 'C1:1' }, { ...d, answer });
    await converse({ text: 'is it hourly?', threadKey: 'C1:1' }, { ...d, answer });
    await converse({ text: 'and this?', threadKey: 'C1:2' }, { ...d, answer });
    expect(seen[0]).toEqual({ text: 'who owns session_latency_hourly?' });
    expect(seen[1]).toEqual({ text: 'is it hourly?', thread: ['who owns session_latency_hourly?'], subjectTable: LATENCY });
    expect(seen[2]).toEqual({ text: 'and this?' });
    await d.close();
  });
});

describe('Home data', () => {
  it('has popular tables by reads, the person’s bookmarks, edits and tags', async () => {
    const d = await coreDeps();
    await d.userState.toggleBookmark('U1', REVENUE);
    await d.graph.applyEdit({ tableKey: REVENUE, field: { kind: 'tags' }, value: ['revenue'], actor: 'jiwoo.kim' });
    const h = await homeData('U1', d);
    expect(h.popular[0]!.key).toBe(LATENCY);
    expect(h.bookmarks.map((b) => b.key)).toEqual([REVENUE]);
    expect(h.edits[0]).toMatchObject({ tableKey: REVENUE, actorRef: { slackId: 'U01JIWOO01' }, title: 'billing.daily_revenue' });
    expect(h.tags.map((t) => t.tag)).toEqual(expect.arrayContaining(['latency', 'network']));
    await d.close();
  });
});
