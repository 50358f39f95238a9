import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteGraphStore } from '../../src/adapters/embedded/sqlite-graph-store';
import { SqliteSearchIndex } from '../../src/adapters/embedded/sqlite-search-index';
import { answer } from '../../src/answering/answer';
import { readCatalogFile } from '../../src/catalog/import';
import { MemoryEventDeduper, MemoryThreadContextStore, MemoryUserStateStore } from '../../src/adapters/memory/memory-chat-state';
import { lastUpdate } from '../../src/domain/model';
import { silentLogger } from '../../src/log/logger';
import { DEMO_CATALOG, seedDemoCatalog, shellSession, shiftToPresent } from '../../src/main/shell';

const ROOT = join(__dirname, '../..');

describe('the demo catalog and the terminal chat', () => {
  it('moves the demo catalog’s load times to the present by whole hours', async () => {
    const catalog = await readCatalogFile(DEMO_CATALOG);
    expect(catalog.tables.length).toBeGreaterThanOrEqual(28);
    const present = new Date('2027-03-01T12:34:00Z');
    const shifted = shiftToPresent(catalog, present);
    const sessions = shifted.tables.find((t) => t.name === 'sessions')!;
    const last = Date.parse(sessions.updates![sessions.updates!.length - 1]!);
    expect(present.getTime() - last).toBeLessThan(2 * 3_600_000);
    expect(new Date(last).getUTCMinutes()).toBe(new Date(Date.parse(catalog.tables.find((t) => t.name === 'sessions')!.updates!.at(-1)!)).getUTCMinutes());
  });

  it('answers the three questions that started the project, and /data, in one session', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nansen-shell-'));
    const graph = new SqliteGraphStore({ path: join(dir, 'g.sqlite') });
    const search = new SqliteSearchIndex({ path: join(dir, 's.sqlite') });
    await graph.init();
    await search.init();
    try {
      const now = new Date();
      expect(await seedDemoCatalog({ graph, search }, now)).toBe(30);
      expect(await seedDemoCatalog({ graph, search }, now)).toBe(0);
      expect(Date.now() - Date.parse(lastUpdate((await graph.getTable('hive://gold.game_log/sessions'))!)!)).toBeLessThan(2 * 3_600_000);
      const s = shellSession({ graph, search, answer, threads: new MemoryThreadContextStore(), dedupe: new MemoryEventDeduper(), userState: new MemoryUserStateStore(), policy: { mode: 'everyone' }, now: () => now, timeZone: 'Asia/Seoul', log: silentLogger() });
      const find = await s.handle("which table shows in-game users' latency by country?");
      expect(find.split('\n').find((l) => /^\s*1\./.test(l))).toContain('network_latency_by_country');
      expect(await s.handle('when was game_log.sessions last updated?')).toMatch(/sessions was last updated .* \(\d+ (minutes|hour)/);
      expect(await s.handle('is it hourly?')).toMatch(/^Yes/);
      const card = await s.handle('/data game_log.sessions');
      expect(card).toContain('Owners: @Jiwoo Kim');
      expect(card).toContain('Cadence: hourly, around :10');
      expect(await s.handle('/nope')).toContain('/data help');
      for (const line of ['/data subscribe game_log.*', '/data subscriptions', '/data mute game_log.sessions', '/data unsubscribe game_log.*']) {
        const out = await s.handle(line);
        expect(out).toContain('Slack-only');
        expect(out).not.toMatch(/^\s*1\./m);
      }
      expect(await s.handle('')).toBe('');
    } finally {
      await graph.close();
      await search.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('`npm start` reads piped questions, answers them, and exits at the end of input', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nansen-shell-'));
    try {
      const input = ["which table shows in-game users' latency by country?", 'when was game_log.sessions last updated?', 'is it hourly?', '/data help'].join('\n');
      const env = { ...process.env, NANSEN_DATA_DIR: dir, SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: '', SLACK_SIGNING_SECRET: '', NANSEN_BACKEND: 'embedded' };
      const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/main/shell.ts'], { cwd: ROOT, input, env, encoding: 'utf8', timeout: 60_000 });
      expect(r.status).toBe(0);
      expect(r.stderr).toContain('Seeded the embedded store');
      expect(r.stdout).toContain('> is it hourly?');
      expect(r.stdout).toMatch(/network_latency_by_country/);
      expect(r.stdout).toMatch(/Yes/);
      expect(r.stdout).toContain('/data history <table>');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('`npm start -- --help` prints usage and exits without opening a store; an unknown option is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nansen-shell-'));
    try {
      const env = { ...process.env, NANSEN_DATA_DIR: dir, SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: '', SLACK_SIGNING_SECRET: '', NANSEN_BACKEND: 'embedded' };
      const help = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/main/shell.ts', '--help'], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000, input: '' });
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/^Usage: npm start/);
      expect(help.stdout).toContain('/data history <table>');
      expect(help.stderr).not.toContain('Seeded');
      const bad = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/main/shell.ts', '--frobnicate'], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000, input: '' });
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain('unknown option --frobnicate');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
