/**
 * Every setting is declared in the config schema (src/config/config.ts), so a missing or wrong one stops the
 * process with a line naming it: every environment variable the code reads by name, every variable the Helm chart
 * renders and every one compose passes (its `environment:` blocks and `.env.example`). And the chart's `config:`
 * map takes exactly the settings the chart does not set itself, so a misspelt name is refused by `helm install`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { CONFIG_KEYS, loadConfig } from '../src/config/config';

const ROOT = join(__dirname, '..');
const CHART = join(ROOT, 'deploy/helm/nansen');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Names read as `process.env.X`, `process.env['X']`, `env.X` or `env['X']` (an env object passed in). */
function envReads(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of ['src', 'ingest', 'workers'].flatMap((d) => files(join(ROOT, d)))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]+)|\[\s*['"]([A-Z][A-Z0-9_]+)['"]\s*\])/g)) found.set(m[1] ?? m[2]!, relative(ROOT, file));
  }
  return found;
}

/** Variables the chart renders into the processes' environment: ConfigMap and Secret keys, and `env:` names. */
function chartVariables(): string[] {
  const names = new Set<string>();
  for (const name of readdirSync(join(CHART, 'templates'))) {
    const text = readFileSync(join(CHART, 'templates', name), 'utf8');
    for (const m of text.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)) names.add(m[1]!);
    for (const m of text.matchAll(/(?:- name: |"name" ")([A-Z][A-Z0-9_]+)/g)) names.add(m[1]!);
  }
  return [...names].sort();
}

const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
/** Variables compose itself reads (`${NAME...}` in docker-compose.yml), not passed to Nansen as such. */
const composeInterpolated = new Set([...compose.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!));

describe('every setting is declared in the config schema', () => {
  it('covers every variable the code reads by name', () => {
    const undeclared = [...envReads()].filter(([name]) => !CONFIG_KEYS.includes(name)).map(([name, file]) => `${name} (${file})`);
    expect(undeclared).toEqual([]);
  });

  it('covers every variable the Helm chart renders', () => {
    const vars = chartVariables();
    expect(vars).toEqual(expect.arrayContaining(['NEO4J_URL', 'NEO4J_PASSWORD', 'SLACK_BOT_TOKEN', 'REDIS_URL', 'NANSEN_SHUTDOWN_GRACE_MS']));
    expect(vars.filter((v) => !CONFIG_KEYS.includes(v))).toEqual([]);
  });

  it('covers every variable compose passes to the bot and the worker, and every one .env.example shows', () => {
    const doc = parse(compose, { merge: true }) as { services: Record<string, { command?: string[]; environment?: Record<string, string> }> };
    const nansen = Object.values(doc.services).filter((s) => s.command?.[0] === 'node' || (s.command ?? []).some((c) => /dist\/src\/main/.test(c)));
    expect(nansen.length).toBeGreaterThanOrEqual(2);
    const passed = new Set(nansen.flatMap((s) => Object.keys(s.environment ?? {})));
    expect([...passed].filter((v) => !CONFIG_KEYS.includes(v))).toEqual([]);
    // .env goes to the containers whole (env_file): each name in it is a setting, compose's own, or a source's urlEnv
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
    const shown = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!);
    const sourcesUrlEnvs = new Set([...readFileSync(join(ROOT, 'sources.example.yml'), 'utf8').matchAll(/urlEnv:\s*([A-Z0-9_]+)/g)].map((m) => m[1]!));
    const unknown = shown.filter((v) => !CONFIG_KEYS.includes(v) && !composeInterpolated.has(v) && !sourcesUrlEnvs.has(v));
    expect(unknown).toEqual([]);
  });

  it("lets the chart's config map take exactly the settings the chart does not render itself", () => {
    const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')) as { properties: { config: { propertyNames?: { enum?: string[] } } } };
    const allowed = schema.properties.config.propertyNames?.enum ?? [];
    const rendered = new Set(chartVariables());
    const expected = CONFIG_KEYS.filter((k) => !rendered.has(k) && k !== 'NANSEN_SERVICES_DIR');
    expect([...allowed].sort()).toEqual([...expected].sort());
  });

  it('refuses settings that only work together, naming the one missing', () => {
    expect(() => loadConfig({ NEO4J_USER: 'neo4j' })).toThrow(/^Invalid configuration: NEO4J_PASSWORD: required when NEO4J_USER is set$/);
    expect(loadConfig({ NEO4J_USER: 'neo4j', NEO4J_PASSWORD: 'x' }).NEO4J_USER).toBe('neo4j');
  });
});
