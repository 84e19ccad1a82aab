import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import svelte from 'eslint-plugin-svelte'
import globals from 'globals'

/**
 * The imports a layer must not make: the other layers named, and Electron unless `electron`
 * (relative paths: no folder inside src/ reuses a layer's name, so `../server` is src/server).
 */
function layer(dir, forbidden, why, { electron = false } = {}) {
  const noElectron = { message: `${why}: no Electron.` }
  return {
    files: [`${dir}/**/*`],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: electron ? [] : [{ name: 'electron', ...noElectron }],
          patterns: [
            ...(electron ? [] : [{ group: ['electron/*'], ...noElectron }]),
            {
              regex: `^(\\.\\./)+(${forbidden.join('|')})(/|$)`,
              message: `${why}: ${dir} must not import src/{${forbidden.join(',')}}.`,
            },
          ],
        },
      ],
    },
  }
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.cache/**', '.gpu/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  // Layers (see the README): data flows one way, and each host drives the same engine.
  // src/common (pure formatting) is the one runtime code every layer may import.
  layer(
    'src/core',
    ['cli', 'server', 'main', 'preload', 'renderer', 'hosts'],
    'The engine is headless',
  ),
  layer('src/hosts', ['cli', 'server', 'main', 'preload', 'renderer'], 'Code shared by the hosts'),
  layer('src/server', ['cli', 'main', 'preload', 'renderer'], 'Browser mode is its own host'),
  layer('src/cli', ['main', 'preload', 'renderer'], 'The CLI is its own host'),
  layer('src/main', ['cli', 'server', 'renderer'], 'The Electron shell is its own host', {
    electron: true,
  }),
  layer('src/preload', ['core', 'cli', 'server', 'renderer', 'hosts'], 'The preload is a bridge', {
    electron: true,
  }),
  layer(
    'src/shared',
    ['core', 'cli', 'server', 'main', 'preload', 'renderer', 'hosts'],
    'src/shared is the contract',
  ),
  {
    // src/common runs in the page too: it imports nothing.
    files: ['src/common/**/*'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportDeclaration', message: 'src/common imports nothing.' },
        { selector: 'ExportNamedDeclaration[source]', message: 'src/common imports nothing.' },
        { selector: 'ImportExpression', message: 'src/common imports nothing.' },
      ],
    },
  },
  {
    // The renderer talks to the engine only through the contract: types from src/shared.
    files: ['src/renderer/**/*'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(core|cli|server|main|preload|hosts)(/|$)',
              message: 'The renderer reaches the engine only through the contract (src/shared).',
            },
            {
              regex: '^(\\.\\./)+shared(/|$)',
              allowTypeImports: true,
              message: 'src/shared holds types only: use `import type`.',
            },
            {
              group: ['electron', 'electron/*', 'node:*'],
              message: 'The renderer runs in a page.',
            },
          ],
        },
      ],
    },
  },
  {
    // The CLI is a host of the Engine, like the app and browser mode: its commands drive it
    // through the contract and never reach into the engine's modules (eval scores the pipeline
    // itself, in a temporary library, and may).
    files: ['src/cli/commands/**/*'],
    ignores: ['src/cli/commands/eval.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'src/core must not depend on Electron.' }],
          patterns: [
            { group: ['electron/*'], message: 'src/core must not depend on Electron.' },
            {
              group: [
                '**/core/pipeline',
                '**/core/pipeline/**',
                '**/core/ingest',
                '**/core/ingest/**',
              ],
              message:
                'CLI commands drive the Engine (src/cli/output/engine.ts) through the contract.',
            },
            {
              group: ['**/core/jobs', '**/core/jobs/**', '**/core/ml', '**/core/ml/**'],
              message:
                'CLI commands drive the Engine (src/cli/output/engine.ts) through the contract.',
            },
          ],
        },
      ],
    },
  },
  {
    // src/shared is the contract: types only, no runtime code.
    files: ['src/shared/**/*'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportDeclaration[importKind!="type"]',
          message: 'src/shared holds types only: use `import type`.',
        },
        { selector: 'VariableDeclaration', message: 'src/shared holds types only.' },
        { selector: 'FunctionDeclaration', message: 'src/shared holds types only.' },
        { selector: 'ClassDeclaration', message: 'src/shared holds types only.' },
      ],
    },
  },
)
