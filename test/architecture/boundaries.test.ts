import { ESLint } from 'eslint';
import { join } from 'node:path';

/** The lint rules that keep the house plan are on, and fail on the imports they exist to stop. */
describe('the dependency rules (eslint.config.js)', () => {
  // the config itself, required (jest cannot load it the way the CLI does, by dynamic import)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const eslint = new ESLint({ cwd: join(__dirname, '..', '..'), overrideConfigFile: true, overrideConfig: require('../../eslint.config.js') });
  const problems = async (file: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath: join(__dirname, '..', '..', file) });
    return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
  };

  it.each([
    ['src/domain/probe.ts', "import '../adapters/embedded/sqlite';", 'boundaries/dependencies'],
    ['src/answering/probe.ts', "import { openStores } from '../main/stores';\nexport const x = openStores;", 'boundaries/dependencies'],
    ['src/alerts/probe.ts', "import type { SourceConfig } from '../../ingest/source';\nexport type X = SourceConfig;", 'boundaries/dependencies'],
    ['src/core/probe.ts', "import type { SlackDeps } from '../slack/deps';\nexport type X = SlackDeps;", 'boundaries/dependencies'],
    ['workers/probe.ts', "import { openStores } from '../src/main/stores';\nexport const x = openStores;", 'boundaries/dependencies'],
    ['src/text/probe.ts', "import { loadConfig } from '../config/config';\nexport const x = loadConfig;", 'boundaries/dependencies'],
    ['bench/probe.ts', "import { FIXTURES } from '../test/support/fixtures';\nexport const x = FIXTURES;", 'boundaries/dependencies'],
    ['src/answering/probe.ts', "import neo4j from 'neo4j-driver';\nexport const x = neo4j;", 'no-restricted-imports'],
    ['src/stray/probe.ts', 'export const x = 1;', 'boundaries/no-unknown-files'],
    ['src/mcp/probe.ts', "import type { SlackDeps } from '../slack/deps';\nexport type X = SlackDeps;", 'boundaries/dependencies'],
    ['src/mcp/probe.ts', "import { openStores } from '../main/stores';\nexport const x = openStores;", 'boundaries/dependencies'],
  ])('%s: %s is refused', async (file, code, rule) => {
    expect((await problems(file, code)).some((p) => p.startsWith(`${rule}:`))).toBe(true);
  });

  it.each([
    ['src/main/probe.ts', "import { SqliteGraphStore } from '../adapters/embedded/sqlite-graph-store';\nexport const x = SqliteGraphStore;"],
    ['src/slack/probe.ts', "import { answer } from '../answering/answer';\nexport const x = answer;"],
    ['workers/probe.ts', "import { planAlerts } from '../src/alerts/plan';\nexport const x = planAlerts;"],
    ['src/alerts/slack/probe.ts', "import type { SlackDeps } from '../../slack/deps';\nexport type X = SlackDeps;"],
    ['src/mcp/probe.ts', "import { searchCatalog } from '../core/search-catalog';\nexport const x = searchCatalog;"],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });
});
