/**
 * deploy/helm/nansen: `helm lint`, `helm template`, a schema check of the rendered manifests against the Kubernetes
 * API (kubernetes-validate, whose schemas ship in its PyPI package: no network), and the shapes Nansen relies on,
 * read from the rendered YAML. helm (a Go module) and kubernetes-validate are installed by scripts/tools.sh into
 * ~/.cache/nansen-tools; when one cannot be installed the tests that need it skip, saying so.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseSources } from '../../ingest/sources-file';
import { loadConfig } from '../../src/config/config';
import { ROOT } from './support';

const CHART = join(ROOT, 'deploy/helm/nansen');
const VALUES = join(CHART, 'ci/test-values.yaml');
const KUBE = '1.30.0';

function tool(name: 'helm' | 'kubernetes-validate'): string | undefined {
  const r = spawnSync('bash', [join(ROOT, 'scripts/tools.sh'), name], { encoding: 'utf8', timeout: 900_000 });
  if (r.status === 0) return r.stdout.trim();
  process.stdout.write(`helm chart test: ${name} could not be installed (${(r.stderr || String(r.error)).trim().split('\n').pop()}); the tests that need it are skipped\n`);
  return undefined;
}

type Doc = { kind: string; metadata: { name: string }; spec?: any; data?: Record<string, string>; stringData?: Record<string, string> }; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('the Helm chart', () => {
  let helm: string | undefined;
  let validate: string | undefined;
  let docs: Doc[] = [];
  let rendered = '';
  const template = (...args: string[]): ReturnType<typeof spawnSync> => spawnSync(helm!, ['template', 'nansen', CHART, '--kube-version', KUBE, ...args], { encoding: 'utf8', timeout: 60_000 });

  beforeAll(() => {
    helm = tool('helm');
    validate = tool('kubernetes-validate');
    if (!helm) return;
    const r = template('-f', VALUES);
    if (r.status !== 0) throw new Error(`helm template failed: ${String(r.stderr)}`);
    rendered = String(r.stdout);
    docs = parseAllDocuments(rendered).map((d) => d.toJS() as Doc).filter(Boolean);
  }, 1_800_000);

  const withHelm = (name: string, fn: () => void): void =>
    it(name, () => {
      if (!helm) return void process.stdout.write(`skipped (no helm): ${name}\n`);
      fn();
    });

  withHelm('passes helm lint --strict', () => {
    const r = spawnSync(helm!, ['lint', '--strict', CHART, '-f', VALUES], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stdout + r.stderr).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
    expect(r.status).toBe(0);
  });

  withHelm('renders manifests that pass the Kubernetes API schemas, strictly', () => {
    if (!validate) return void process.stdout.write('skipped (no kubernetes-validate): schema check\n');
    const r = spawnSync(validate, ['-k', KUBE, '--strict', '--quiet', '-'], { input: rendered, encoding: 'utf8', timeout: 60_000 });
    expect(r.stdout + r.stderr).not.toMatch(/ERROR|WARN/);
    expect(r.status).toBe(0);
    // And the check does refuse what it should: a misspelt field in a Deployment.
    const broken = rendered.replace('terminationGracePeriodSeconds:', 'terminationGracePeriodSecs:');
    const bad = spawnSync(validate, ['-k', KUBE, '--strict', '--quiet', '-'], { input: broken, encoding: 'utf8', timeout: 60_000 });
    expect(bad.status).not.toBe(0);
  });

  withHelm('has Deployments for the bot and the worker with replicas, resources, probes and a non-root, read-only container', () => {
    const kinds = docs.map((d) => `${d.kind}/${d.metadata.name}`).sort();
    expect(kinds).toEqual(['ConfigMap/nansen-config', 'ConfigMap/nansen-sources', 'Deployment/nansen-bot', 'Deployment/nansen-worker', 'Secret/nansen-neo4j', 'Secret/nansen-slack', 'Service/nansen-bot']);
    expect(docs.some((d) => d.kind === 'CronJob')).toBe(false);
    for (const component of ['bot', 'worker']) {
      const d = docs.find((x) => x.kind === 'Deployment' && x.metadata.name === `nansen-${component}`)!;
      expect(d.spec.replicas).toBe(2);
      expect(d.spec.selector.matchLabels).toEqual(expect.objectContaining({ 'app.kubernetes.io/component': component }));
      for (const [k, v] of Object.entries(d.spec.selector.matchLabels as Record<string, string>)) expect(d.spec.template.metadata.labels[k]).toBe(v);
      const pod = d.spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      const [c] = pod.containers;
      expect(c.command).toEqual(['node', `dist/src/main/${component}.js`]);
      expect(c.image).toBe('nansen:0.1.0');
      expect(c.resources.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
      expect(c.resources.limits.memory).toBeTruthy();
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
      const health = c.ports.find((p: { name: string }) => p.name === 'health');
      expect(health.containerPort).toBe(8080);
      expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'health' });
      expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'health' });
      // Every ConfigMap, Secret and volume the pod names is one the chart renders.
      for (const ref of c.envFrom) {
        const name = ref.configMapRef?.name ?? ref.secretRef?.name;
        expect(docs.some((x) => x.metadata.name === name && x.kind === (ref.configMapRef ? 'ConfigMap' : 'Secret'))).toBe(true);
      }
      const mounts = c.volumeMounts.map((m: { name: string }) => m.name).sort();
      expect(pod.volumes.map((v: { name: string }) => v.name).sort()).toEqual(mounts);
      expect(c.volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/app/config').readOnly).toBe(true);
    }
    const worker = docs.find((x) => x.metadata.name === 'nansen-worker')!.spec.template.spec;
    const grace = Number(worker.containers[0].env.find((e: { name: string }) => e.name === 'NANSEN_SHUTDOWN_GRACE_MS').value);
    expect(worker.terminationGracePeriodSeconds * 1000).toBeGreaterThan(grace);
    const service = docs.find((x) => x.kind === 'Service')!;
    const bot = docs.find((x) => x.metadata.name === 'nansen-bot' && x.kind === 'Deployment')!;
    expect(bot.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(bot.spec.template.spec.containers[0].ports.map((p: { name: string }) => p.name)).toContain(service.spec.ports[0].targetPort);
  });

  withHelm('gives the processes a configuration Nansen accepts, and a sources file that parses', () => {
    const data = docs.find((d) => d.metadata.name === 'nansen-config')!.data!;
    const slack = docs.find((d) => d.metadata.name === 'nansen-slack')!.stringData!;
    const config = loadConfig({ ...data, ...slack, NEO4J_PASSWORD: 'x' });
    expect(config).toMatchObject({ NANSEN_BACKEND: 'neo4j-es', NEO4J_URL: 'bolt://neo4j.data.svc.cluster.local:7687', REDIS_URL: 'redis://redis-master.data.svc.cluster.local:6379', NANSEN_HEALTH_PORT: 8080, NANSEN_EMBEDDINGS_QUERY_PREFIX: 'query: ', NANSEN_EMBEDDINGS_PASSAGE_PREFIX: 'passage: ', NANSEN_EMBEDDINGS_INPUT_TYPE: 'off' });
    const sources = docs.find((d) => d.metadata.name === 'nansen-sources')!.data!['sources.yml']!;
    expect(parseSources(sources, '/app/config/sources.yml').map((s) => s.id)).toEqual(['demo']);
  });

  withHelm('refuses missing or wrong values with a line naming each', () => {
    const none = template();
    expect(none.status).not.toBe(0);
    for (const v of ['/neo4j/url', '/elasticsearch/url', '/redis/url']) expect(String(none.stderr)).toContain(`at '${v}'`);
    const badRedis = template('-f', VALUES, '--set', 'redis.url=localhost:6379');
    expect(String(badRedis.stderr)).toMatch(/at '\/redis\/url'/);
    const noToken = template('-f', VALUES, '--set', 'slack.botToken=');
    expect(String(noToken.stderr)).toMatch(/slack\.botToken \(or slack\.existingSecret\) is required/);
    const noPassword = template('-f', VALUES, '--set', 'neo4j.password=');
    expect(String(noPassword.stderr)).toMatch(/neo4j\.password \(or neo4j\.existingSecret\) is required/);
    const latest = template('-f', VALUES, '--set', 'image.tag=latest');
    expect(String(latest.stderr)).toMatch(/at '\/image\/tag'/);
    const grace = template('-f', VALUES, '--set', 'worker.terminationGracePeriodSeconds=30');
    expect(String(grace.stderr)).toMatch(/worker\.terminationGracePeriodSeconds must be longer than worker\.shutdownGraceMs/);
  });

  withHelm('refuses each required value left out on its own, with a line naming it', () => {
    const cases: Array<[string, RegExp]> = [
      ['neo4j.url=', /at '\/neo4j\/url'/],
      ['elasticsearch.url=', /at '\/elasticsearch\/url'/],
      ['redis.url=', /at '\/redis\/url'/],
      ['neo4j.password=', /neo4j\.password \(or neo4j\.existingSecret\) is required/],
      ['slack.botToken=', /slack\.botToken \(or slack\.existingSecret\) is required/],
      ['slack.appToken=', /slack\.appToken \(Socket Mode\) or slack\.signingSecret \(HTTP mode\) is required/],
    ];
    for (const [set, message] of cases) {
      const r = template('-f', VALUES, '--set', set);
      expect({ set, status: r.status }).toEqual({ set, status: 1 });
      expect(String(r.stderr)).toMatch(message);
    }
    // a misspelt setting in config: is refused by name, not silently ignored
    const typo = template('-f', VALUES, '--set', 'config.NANSEN_TIMEZON=UTC');
    expect(typo.status).not.toBe(0);
    expect(String(typo.stderr)).toMatch(/invalid propertyName 'NANSEN_TIMEZON'/);
  });

  withHelm('renders a wrong setting the chart cannot judge, and the worker then stops with one line naming it', () => {
    const r = template('-f', VALUES, '--set', 'config.NANSEN_TIMEZONE=Mars/Phobos');
    expect(r.status).toBe(0);
    const out = parseAllDocuments(String(r.stdout)).map((d) => d.toJS() as Doc).filter(Boolean);
    const env = { ...out.find((d) => d.metadata.name === 'nansen-config')!.data!, ...out.find((d) => d.metadata.name === 'nansen-slack')!.stringData!, NEO4J_PASSWORD: 'x' };
    const worker = spawnSync(process.execPath, ['--require', 'tsx/cjs', join(ROOT, 'src/main/worker.ts')], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, encoding: 'utf8', timeout: 60_000 });
    expect(worker.status).toBe(1);
    const lines = worker.stderr.trim().split('\n');
    expect(lines).toEqual([expect.stringMatching(/^nansen worker: Invalid configuration: NANSEN_TIMEZONE: must be an IANA time zone/)]);
  });

  withHelm('takes Secrets of the operator’s own instead of rendering them', () => {
    const r = template('-f', VALUES, '--set', 'slack.existingSecret=my-slack,slack.botToken=,slack.appToken=,neo4j.existingSecret=my-neo4j,neo4j.password=,envFromSecrets[0]=warehouse');
    expect(r.status).toBe(0);
    const out = parseAllDocuments(String(r.stdout)).map((d) => d.toJS() as Doc);
    expect(out.filter((d) => d.kind === 'Secret')).toEqual([]);
    const c = out.find((d) => d.metadata.name === 'nansen-worker')!.spec.template.spec.containers[0];
    expect(c.envFrom.map((e: { secretRef?: { name: string } }) => e.secretRef?.name).filter(Boolean)).toEqual(['my-slack', 'warehouse']);
    expect(c.env[0].valueFrom.secretKeyRef.name).toBe('my-neo4j');
  });
});
