import type { Catalog } from '../../src/catalog/catalog-file';
import type { Answer } from '../../src/answering/types';
import { grainTerms, grainWords } from '../../src/answering/grain';
import { words } from '../../src/text/analyze';
import type { Harness } from './helpers';
import { catalogTable, harness } from './helpers';

const NOW = '2026-06-01T00:00:00Z';
const marked = (text: string): string[] => [...grainWords(text)].map((i) => words(text)[i]!);

describe('grain words', () => {
  it('reads what a row is per, in English and Korean', () => {
    expect(marked('need per-suggestion data')).toEqual(['suggestion']);
    expect(marked('revenue by country, each day')).toEqual(['country', 'day']);
    expect(marked('mrr at charge level')).toEqual(['charge']);
    expect(marked('CI 러너 사용량 일별로, 프로젝트 단위로')).toEqual(['일별로', '프로젝트']);
    expect(marked('국가별 매출, 계정 기준으로')).toEqual(['국가별', '계정']);
    expect(marked('which table has revenue?')).toEqual([]);
  });

  it('takes a table grain from the keys among its leading columns, not from its name or other columns', () => {
    const cols = (...names: string[]): Catalog['tables'][number]['columns'] => names.map((name, position) => ({ name, type: 'string', position }));
    expect([...grainTerms({ columns: cols('report_date', 'dim_project_id', 'namespace_id', 'runner_id') })].sort()).toEqual(['dim', 'dimprojectid', 'id', 'namespace', 'namespaceid', 'project'].sort());
    expect(grainTerms({ columns: cols('next_steps', 'notes', 'status', 'step_id') }).size).toBe(0);
  });
});

function table(name: string, description: string, columns: string[]): Catalog['tables'][number] {
  return catalogTable('product', name, description, columns, NOW);
}

// two layers of one subject that say the same words; only the leading keys tell what one row is
const catalog: Catalog = {
  now: NOW,
  users: [],
  tables: [
    table('mart_code_suggestion_event', 'Code suggestion events from the IDE extension, with the suggestion outcome.', ['event_pk', 'event_date', 'app_id', 'suggestion_id', 'outcome', 'language']),
    table('rpt_code_suggestion_outcome', 'Code suggestion outcome from the IDE extension, with the suggestion events.', ['suggestion_id', 'language', 'outcome', 'event_pk', 'event_date']),
  ],
  dashboards: [],
};

const top = (a: Answer): string | undefined => (a.kind === 'find' ? a.results[0]?.key : undefined);

describe('grain in find answers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness(catalog);
  });
  afterAll(() => h.close());

  it('ranks the table whose rows are what the question is per above its near-duplicate', async () => {
    expect(top(await h.ask('code suggestion outcomes from the IDE, one row per suggestion'))).toBe('hive://gold.product/rpt_code_suggestion_outcome');
    expect(top(await h.ask('code suggestion outcomes from the IDE, one row per event'))).toBe('hive://gold.product/mart_code_suggestion_event');
  });
});
