const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const boundaries = require('eslint-plugin-boundaries');
const importX = require('eslint-plugin-import-x');
const { createTypeScriptImportResolver } = require('eslint-import-resolver-typescript');

/**
 * The house plan, enforced: each layer may import only the layers listed for it (its own included). Adapters are
 * imported only by composition roots (`src/main`), benchmarks and tests. See ARCHITECTURE.md.
 */
const LAYERS = [
  // [type, folder(s)] — the first folder that matches a file names its layer
  ['alerts-slack', ['src/alerts/slack']],
  ['alerts-jobs', ['src/alerts/jobs']],
  ['domain', ['src/domain']],
  ['ports', ['src/ports']],
  ['lib', ['src/log', 'src/text', 'src/search', 'src/catalog']],
  ['config', ['src/config']],
  ['adapters', ['src/adapters']],
  ['answering', ['src/answering']],
  ['ingest', ['ingest']],
  ['alerts', ['src/alerts']],
  ['core', ['src/core']],
  ['render', ['src/render']],
  ['slack', ['src/slack']],
  ['mcp', ['src/mcp']],
  ['workers', ['workers']],
  ['main', ['src/main']],
  ['tools', ['tools']],
  ['bench', ['bench']],
  ['test', ['test']],
];
const BASE = ['domain', 'ports', 'lib'];
const FEATURES = ['answering', 'ingest', 'alerts'];
const SLACK = ['core', 'render', 'answering', 'alerts', 'slack', 'alerts-slack'];
const WORKERS = ['ingest', 'alerts', 'workers', 'alerts-jobs'];
const MAY_IMPORT = {
  domain: ['domain'],
  ports: ['domain', 'ports'],
  lib: BASE,
  config: ['domain', 'config'],
  adapters: [...BASE, 'adapters'],
  answering: [...BASE, 'answering'],
  ingest: [...BASE, 'ingest'],
  alerts: [...BASE, 'alerts'],
  core: [...BASE, 'answering', 'alerts', 'core'],
  render: [...BASE, 'answering', 'alerts', 'core', 'render'],
  slack: [...BASE, ...SLACK],
  'alerts-slack': [...BASE, ...SLACK],
  // the MCP front end: the chat core's use cases, never Slack's listeners
  mcp: [...BASE, 'core', 'render', 'answering', 'alerts', 'mcp'],
  workers: [...BASE, ...WORKERS],
  'alerts-jobs': [...BASE, ...WORKERS],
  main: [...BASE, 'config', 'adapters', ...FEATURES, ...SLACK, ...WORKERS, 'mcp', 'main'],
  tools: [...BASE, 'tools'],
  bench: [...BASE, 'config', 'adapters', ...FEATURES, ...SLACK, ...WORKERS, 'mcp', 'main', 'tools', 'bench'],
  test: [...BASE, 'config', 'adapters', ...FEATURES, ...SLACK, ...WORKERS, 'mcp', 'main', 'tools', 'bench', 'test'],
};

module.exports = tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'scripts/neo4j-launcher/target/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { boundaries, 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import/resolver': { typescript: { project: './tsconfig.json' } },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
      'boundaries/elements': LAYERS.flatMap(([type, folders]) => folders.map((folder) => ({ type, pattern: folder, partialMatch: false }))),
    },
    rules: {
      'boundaries/no-unknown-files': 'error',
      // modules that import each other, even through others, are one module in two files
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: Object.entries(MAY_IMPORT).map(([from, to]) => ({ from: { element: { type: from } }, allow: { to: { element: { types: { anyOf: to } } } } })),
        },
      ],
    },
  },
  {
    // storage and source drivers belong to adapters and connectors; everything else goes through the ports
    files: ['src/**/*.ts', 'ingest/**/*.ts', 'workers/**/*.ts'],
    ignores: ['src/adapters/**', 'src/main/**', 'ingest/connectors/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['neo4j-driver', '@elastic/elasticsearch', 'better-sqlite3', 'ioredis', 'pg', 'mysql2', 'mysql2/promise'].map((name) => ({
            name,
            message: 'Drivers are used by adapters (src/adapters) and connectors (ingest/connectors) only; depend on a port instead.',
          })),
        },
      ],
    },
  },
);
