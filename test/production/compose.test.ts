/**
 * docker-compose.yml read as compose reads it (YAML with merge keys; no Docker engine here): pinned images, a volume
 * for every stateful service, health checks that ask the real service, the one-off import and crawl services, the
 * embeddings service, and settings that Nansen's own configuration accepts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadSources } from '../../ingest/sources-file';
import { loadConfig } from '../../src/config/config';
import { ROOT } from './support';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
  profiles?: string[];
  env_file?: Array<{ path: string; required: boolean }>;
  stop_grace_period?: string;
}
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;

/** .env.example as compose would read it. */
const envExample = Object.fromEntries(
  readFileSync(join(ROOT, '.env.example'), 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);
/** `${VAR:-default}` / `${VAR:?message}` / `${VAR}` as compose interpolates them, from .env.example. */
const interpolate = (v: string): string =>
  v.replace(/\$\{([A-Z_0-9]+)(?::([-?])([^}]*))?\}/g, (_, name: string, op?: string, arg?: string) => {
    const value = envExample[name];
    if (value !== undefined && value !== '') return value;
    if (op === '?') throw new Error(`${name} is required by compose but not in .env.example`);
    return op === '-' ? (arg ?? '') : '';
  });

describe('docker-compose.yml', () => {
  it('pins every image to a version, never a bare major or latest', () => {
    const images = Object.values(services).map((s) => s.image).filter((i): i is string => Boolean(i));
    expect(images.length).toBeGreaterThanOrEqual(5);
    for (const image of images) {
      const tag = image.slice(image.lastIndexOf(':') + 1);
      expect(`${image} -> ${tag}`).toMatch(/:(\$\{[A-Z_]+:-)?[a-z-]*\d+\.\d+/);
      expect(tag).not.toBe('latest');
    }
  });

  it('keeps the data of every stateful service in a named volume', () => {
    const wants: Record<string, string> = { neo4j: '/data', elasticsearch: '/usr/share/elasticsearch/data', redis: '/data', embeddings: '/data', worker: '/data', bot: '/data' };
    for (const [name, path] of Object.entries(wants)) {
      const mount = (services[name]!.volumes ?? []).find((v) => v.split(':')[1] === path);
      expect(`${name}: ${mount}`).toMatch(/: [a-z0-9-]+:\//);
      expect(Object.keys(compose.volumes)).toContain(mount!.split(':')[0]);
    }
  });

  it('has health checks that ask the real service, with the variables they use actually set', () => {
    for (const name of ['neo4j', 'elasticsearch', 'redis', 'embeddings', 'bot', 'worker']) expect(services[name]!.healthcheck?.test.join(' ')).toBeTruthy();
    const neo4j = services.neo4j!.healthcheck!.test.join(' ');
    expect(neo4j).toMatch(/cypher-shell .*RETURN 1/);
    // Only NEO4J_AUTH is set on the container; the password is read from it.
    for (const v of neo4j.matchAll(/\$\$\{?([A-Z_0-9]+)/g)) expect(Object.keys(services.neo4j!.environment!)).toContain(v[1]);
    expect(services.elasticsearch!.healthcheck!.test.join(' ')).toMatch(/_cluster\/health/);
    expect(services.redis!.healthcheck!.test.join(' ')).toMatch(/redis-cli ping/);
    expect(services.embeddings!.healthcheck!.test.join(' ')).toMatch(/GET \/health/);
    expect(services.bot!.healthcheck!.test.join(' ')).toMatch(/\/readyz/);
    expect(services.worker!.healthcheck!.test.join(' ')).toMatch(/\/readyz/);
  });

  it('serves multilingual-e5-small from text-embeddings-inference, with the e5 prefixes Nansen must add itself', () => {
    expect(services.embeddings!.image).toMatch(/^ghcr\.io\/huggingface\/text-embeddings-inference:cpu-/);
    expect(services.embeddings!.command).toEqual(expect.arrayContaining(['--model-id', 'intfloat/multilingual-e5-small']));
    const env = services.worker!.environment!;
    expect(env).toMatchObject({ NANSEN_EMBEDDINGS_URL: 'http://embeddings:80', NANSEN_EMBEDDINGS_MODEL: 'intfloat/multilingual-e5-small', NANSEN_EMBEDDINGS_QUERY_PREFIX: 'query: ', NANSEN_EMBEDDINGS_PASSAGE_PREFIX: 'passage: ', NANSEN_EMBEDDINGS_INPUT_TYPE: 'off' });
    expect(services.bot!.environment).toMatchObject({ NANSEN_EMBEDDINGS_URL: 'http://embeddings:80' });
  });

  it('runs the compiled build, and gives the worker a grace period longer than its crawl drain', () => {
    expect(services.bot!.command).toEqual(['node', 'dist/src/main/bot.js']);
    expect(services.worker!.command).toEqual(['node', 'dist/src/main/worker.js']);
    const graceS = Number.parseInt(services.worker!.stop_grace_period!, 10);
    expect(Number(services.worker!.environment!.NANSEN_SHUTDOWN_GRACE_MS) / 1000).toBeLessThan(graceS);
  });

  it('has one-off import and crawl services in the tools profile', () => {
    expect(services.import).toMatchObject({ profiles: ['tools'], entrypoint: ['node', 'dist/src/main/cli.js', 'import'] });
    expect(services.crawl).toMatchObject({ profiles: ['tools'], entrypoint: ['node', 'dist/src/main/cli.js', 'crawl'] });
    for (const s of ['bot', 'worker', 'neo4j', 'redis']) expect(services[s]!.profiles).toBeUndefined();
  });

  it('bind-mounts a sources file that ships (never a missing path Docker would turn into a directory), and it parses', async () => {
    for (const name of ['worker', 'crawl', 'import']) {
      const bind = (services[name]!.volumes ?? []).map(interpolate).find((v) => v.endsWith(':/app/config/sources.yml:ro'));
      const host = join(ROOT, bind!.split(':')[0]!);
      expect(existsSync(host)).toBe(true);
      // The image's layout is the repository's: /app/config/sources.yml names ../data/demo-catalog.json.
      const sources = await loadSources(host);
      expect(sources.map((s) => s.id)).toContain(services.crawl!.command![0]);
    }
    expect(existsSync(join(ROOT, interpolate('${NANSEN_CATALOGS_DIR:-./deploy/catalogs}')))).toBe(true);
  });

  it('gives the bot and the worker settings Nansen accepts, from .env.example and the compose environment', () => {
    for (const name of ['bot', 'worker', 'crawl', 'import']) {
      const s = services[name]!;
      expect(s.env_file).toEqual([{ path: '.env', required: true }]);
      const env = { ...envExample, ...Object.fromEntries(Object.entries(s.environment!).map(([k, v]) => [k, interpolate(String(v))])) };
      const config = loadConfig(env);
      expect(config).toMatchObject({ NANSEN_BACKEND: 'neo4j-es', NEO4J_URL: 'bolt://neo4j:7687', NEO4J_PASSWORD: envExample.NEO4J_PASSWORD, REDIS_URL: 'redis://redis:6379', NANSEN_HEALTH_PORT: 8080 });
    }
  });

  it('a wrong value in .env stops the process with one line naming the variable', () => {
    expect(() => loadConfig({ ...envExample, SLACK_BOT_TOKEN: 'xoxp-user-token' })).toThrow(/^Invalid configuration: SLACK_BOT_TOKEN: must be a bot token/);
  });
});
