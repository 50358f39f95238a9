import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './support';

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const steps = readFileSync(join(ROOT, 'scripts/image-steps.sh'), 'utf8');
const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

describe('the Dockerfile', () => {
  it('has the same build steps as scripts/image-steps.sh, which CI runs without Docker', () => {
    const runs = [...dockerfile.matchAll(/^RUN (npm .*)$/gm)].map((m) => m[1]);
    expect(runs).toEqual(['npm ci --no-audit --no-fund', 'npm run build', 'npm prune --omit=dev --no-audit --no-fund']);
    for (const r of runs) expect(steps).toContain(`# RUN ${r}`);
  });

  it('builds in one stage and runs in another, as the node user, compiled JavaScript under node (not npm, not tsx)', () => {
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(froms).toEqual(['node:${NODE_VERSION}-bookworm-slim', 'node:${NODE_VERSION}-bookworm-slim']);
    expect(dockerfile).toMatch(/^ARG NODE_VERSION=22\.\d+\.\d+$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/src\/main\/bot\.js"\]$/m);
    expect(dockerfile).not.toMatch(/tsx|COPY \. \./);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(runtime).toMatch(/COPY --from=build \/app\/node_modules node_modules/);
    expect(runtime).not.toMatch(/g\+\+|\bmake\b|python3/);
    // the runtime installs from Debian only the CJK font of the lineage pictures
    const installs = [...runtime.matchAll(/apt-get install (.*?)(?:&&|$)/gm)].map((m) => m[1]!.split(/\s+/).filter((w) => w && !w.startsWith('-')));
    expect(installs).toEqual([['fonts-noto-cjk']]);
  });

  it('keeps the host’s node_modules, dist, secrets and the git history out of the build context', () => {
    for (const p of ['node_modules', '**/node_modules', 'dist', '.env', '.git', 'sources.yml']) expect(dockerignore).toContain(p);
    expect(dockerignore).toContain('!.env.example');
  });
});
