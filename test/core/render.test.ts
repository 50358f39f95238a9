import type { HomeData } from '../../src/core/home';
import type { TableCard } from '../../src/core/table-card';
import type { TableHistory } from '../../src/core/edits';
import type { SearchPage } from '../../src/core/search-catalog';
import { decodeValue, isKnownAction, ACTION, actionId } from '../../src/render/blocks-actions';
import { blocksToText, mrkdwnToText } from '../../src/render/blocks-text';
import { historyBlocks } from '../../src/render/blocks-history';
import { homeView } from '../../src/render/blocks-home';
import { askNansenModal, askNoTextModal, editColumnsModal, editDescriptionModal, editOwnersModal, editTagsModal } from '../../src/render/blocks-modals';
import { ASK_QUESTION_MAX } from '../../src/render/blocks-actions';
import { searchBlocks } from '../../src/render/blocks-search';
import { tableCardBlocks } from '../../src/render/table-card';
import { blockProblems, LIMITS, viewProblems } from '../../tools/fake-slack/limits';

const NOW = new Date('2026-11-24T09:00:00Z');
const long = (n: number) => 'lorem ipsum <dolor> & sit '.repeat(Math.ceil(n / 26)).slice(0, n);

function hugeCard(columns: number): TableCard {
  const people = Array.from({ length: 30 }, (_, i) => ({ id: `user.${i}`, name: `User ${i}`, slackId: `U${String(i).padStart(9, '0')}` }));
  return {
    key: `hive://gold.${'s'.repeat(100)}/${'t'.repeat(120)}`,
    title: `${'s'.repeat(100)}.${'t'.repeat(120)}`,
    kind: 'table',
    database: 'hive',
    cluster: 'gold',
    schema: 's'.repeat(100),
    name: 't'.repeat(120),
    description: long(9000),
    descriptionFrom: 'human',
    columns: Array.from({ length: columns }, (_, i) => ({ name: `column_${i}_${'x'.repeat(200)}`, type: 'string', description: long(5000), descriptionFrom: 'source' as const })),
    lastUpdated: '2026-11-24T08:05:00Z',
    cadence: { label: 'hourly', typicalMinute: 5, late: false },
    owners: people,
    frequentUsers: people.map((p, i) => ({ ...p, count: 100 - i })),
    tags: Array.from({ length: 40 }, (_, i) => `tag-${i}-${'y'.repeat(30)}`),
    badges: ['certified', 'pii'],
    deprecated: true,
    upstream: Array.from({ length: 300 }, (_, i) => ({ key: `k${i}`, title: `up.table_${i}_${'z'.repeat(80)}` })),
    downstream: Array.from({ length: 300 }, (_, i) => ({ key: `d${i}`, title: `down.table_${i}` })),
    dashboards: Array.from({ length: 50 }, (_, i) => ({ key: `tableau://x/${i}`, name: `Dashboard ${i} ${'w'.repeat(100)}`, url: `https://tableau.example.com/${i}` })),
    recentChanges: Array.from({ length: 5 }, () => ({ at: '2026-11-24T08:00:00Z', severity: 'breaking' as const, text: long(2000), detail: { kind: 'column_added' as const, column: long(2000) } })),
    version: 7,
  };
}

describe('Block Kit stays within Slack’s limits on extreme input', () => {
  it('a table card with 500 long columns, huge descriptions and lineage: ≤ 50 valid blocks on every page', () => {
    const card = hugeCard(500);
    for (const page of [0, 1, 17, 33, 999]) {
      const r = tableCardBlocks(card, { now: NOW, timeZone: 'Asia/Seoul', columnPage: page, shareable: true });
      expect(r.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
      expect(blockProblems(r.blocks, LIMITS.messageBlocks, '/blocks')).toEqual([]);
    }
  });

  it('edit dialogs for that card are valid views', () => {
    const card = hugeCard(500);
    const meta = { key: card.key, v: card.version, ru: `https://hooks.slack.com/actions/${'a'.repeat(200)}` };
    for (const view of [editDescriptionModal(card, meta), editTagsModal(card, meta), editOwnersModal(card, meta), editColumnsModal(card, meta, 3), editColumnsModal(card, meta, 10_000)]) {
      const { problems, tooLarge } = viewProblems(view);
      expect(problems).toEqual([]);
      expect(tooLarge).toBe(false);
    }
  });

  it('the owners dialog with many owners outside Slack, and the Ask Nansen dialogs at their largest, are valid views', () => {
    const card = hugeCard(5);
    const owners = Array.from({ length: 14 }, (_, i) => ({ id: `${'svc'.repeat(40)}.${i}`, name: `Service account ${'x'.repeat(100)} ${i}`, ...(i % 3 === 0 ? { slackId: `U0SVC${String(i).padStart(5, '0')}` } : {}) }));
    const meta = { key: card.key, v: card.version };
    const ask = { ch: 'C0123456789', ts: '1700000000.000100', th: '1700000000.000001', q: `${'<!channel> *why* '.repeat(200)}`.slice(0, ASK_QUESTION_MAX) };
    for (const view of [editOwnersModal({ ...card, owners }, meta), askNansenModal(ask), askNoTextModal()]) {
      const { problems, tooLarge } = viewProblems(view);
      expect(problems).toEqual([]);
      expect(tooLarge).toBe(false);
    }
    const quoted = { ...ask, q: '"\n'.repeat(ASK_QUESTION_MAX / 2) };
    expect(askNansenModal(quoted).private_metadata!.length).toBeLessThanOrEqual(LIMITS.privateMetadata);
    expect(JSON.parse(askNansenModal(quoted).private_metadata!).q.length).toBeGreaterThan(1000);
  });

  it('a history of long values and a Home tab full of everything are valid', () => {
    const entries = Array.from({ length: 15 }, (_, i) => ({
      id: `e${i}`,
      tableKey: 'k',
      field: { kind: 'description' as const },
      oldValue: long(5000),
      newValue: Array.from({ length: 50 }, (_, j) => `tag${j}`),
      actor: `u${i}`,
      at: '2026-11-24T08:00:00Z',
      actorRef: { id: `u${i}`, name: `U ${i}` },
    }));
    const h: TableHistory = { key: 'k', title: 't', version: 15, entries };
    expect(blockProblems(historyBlocks(h, { now: NOW, timeZone: 'UTC' }).blocks, LIMITS.messageBlocks, '/blocks')).toEqual([]);
    const item = { key: 'k', kind: 'table' as const, title: 'x'.repeat(400), description: long(3000), lastUpdated: '2026-11-01T00:00:00Z', owners: hugeCard(1).owners, badges: ['certified'], deprecated: false };
    const data: HomeData = {
      popular: Array.from({ length: 50 }, () => item),
      bookmarks: Array.from({ length: 50 }, () => item),
      schemaChanges: Array.from({ length: 30 }, (_, i) => ({ id: `c${i}`, source: 's', crawlId: 'c', at: '2026-11-24T08:00:00Z', tableKey: 'k', kind: 'column_added' as const, column: 'x'.repeat(500), title: 'y'.repeat(500) })),
      edits: entries.map((e) => ({ ...e, title: 't' })),
      tags: Array.from({ length: 200 }, (_, i) => ({ tag: `tag-${i}-${'q'.repeat(90)}`, count: i })),
      subscriptions: 3,
    };
    const view = homeView(data, { now: NOW });
    expect(view.blocks.length).toBeLessThanOrEqual(LIMITS.viewBlocks);
    expect(viewProblems(view)).toEqual({ problems: [], tooLarge: false });
  });

  it('search results with long everything are valid, with paging buttons', () => {
    const item = { key: 'k', kind: 'table' as const, title: 'x'.repeat(400), description: long(3000), owners: [], badges: [], deprecated: false };
    const page: SearchPage = { query: 'q'.repeat(500), page: 2, pageSize: 5, items: Array.from({ length: 5 }, () => item), hasMore: true };
    const r = searchBlocks(page, { now: NOW, timeZone: 'UTC', shareable: true });
    expect(blockProblems(r.blocks, LIMITS.messageBlocks, '/blocks')).toEqual([]);
    expect(JSON.stringify(r.blocks)).toContain(ACTION.searchPage);
  });
});

describe('button values and action ids', () => {
  it('decodes what renderers encode and refuses anything else politely', () => {
    expect(decodeValue('table', JSON.stringify({ key: 'hive://a.b/c' }))).toEqual({ key: 'hive://a.b/c' });
    for (const bad of [undefined, '', 'nope', '{"key":1}', '{"key":"x","extra":1}', '[]', 'null']) {
      expect(() => decodeValue('table', bad)).toThrow(/didn't make sense/);
    }
    expect(() => decodeValue('edit', JSON.stringify({ key: 'k', v: -1 }))).toThrow();
  });

  it('knows its own action ids, numbered or not', () => {
    expect(isKnownAction(actionId(ACTION.openCard, 3))).toBe(true);
    expect(isKnownAction(ACTION.history)).toBe(true);
    expect(isKnownAction('nansen.card.openx')).toBe(false);
    expect(isKnownAction('something.else')).toBe(false);
  });
});

describe('Block Kit as terminal text', () => {
  it('turns mrkdwn into readable text', () => {
    expect(mrkdwnToText('*bold* _it_ <@U1|jiwoo> <@U2> <https://x.y|link> &lt;a&gt; <!date^1^{date}|2026-11-24 17:05 KST> :white_check_mark:', { mentionName: (id) => (id === 'U2' ? 'Minsu Lee' : undefined) })).toBe(
      'bold it @jiwoo @Minsu Lee link (https://x.y) <a> 2026-11-24 17:05 KST ✔',
    );
  });

  it('renders a card as lines, without buttons', () => {
    const r = tableCardBlocks(hugeCard(3), { now: NOW, timeZone: 'Asia/Seoul', shareable: true });
    const text = blocksToText(r.blocks);
    expect(text).toContain('Last updated: 2026-11-24 17:05 KST (55 minutes ago)');
    expect(text).not.toContain('Edit description');
  });
});
