import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import svelte from 'eslint-plugin-svelte'
import globals from 'globals'

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
  {
    // The engine is headless: the CLI, the Electron host and the tests all drive it.
    files: ['src/core/**/*', 'src/cli/**/*', 'src/shared/**/*', 'src/server/**/*'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'src/core must not depend on Electron.' }],
          patterns: ['electron/*'],
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
