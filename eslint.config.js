// Lint enforces the layers of ARCHITECTURE.md, so they are kept by the tool, not by memory.
import { builtinModules } from 'node:module'
import js from '@eslint/js'
import globals from 'globals'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

const nodeBuiltins = builtinModules.flatMap((m) => [m, `${m}/*`])
const rule = (patterns, paths = []) => ['error', { paths, patterns }]
const noNode = { group: ['node:*', ...nodeBuiltins], message: 'Node built-ins are not available here.' }
const noElectron = { regex: '^electron(/.*)?$', message: 'Only electron/main and electron/preload may import electron.' }
const noRenderer = { group: ['**/renderer/**', 'react', 'react-dom', 'react/*', 'react-dom/*'], message: 'UI code belongs to the renderer.' }
const noBackend = { group: ['**/electron/**', 'dockerode', 'ws', 'sirv'], message: 'The renderer talks to services only through the contract (src/api).' }
const noOutsideShared = { group: ['**/electron/**', '**/test/**', '**/bench/**'], message: 'shared/ imports nothing outside itself.' }

export default tseslint.config(
  { ignores: ['out/**', '.cache/**', '.scratch/**', 'dist/**', 'node_modules/**', 'coverage/**', 'test-results/**', 'examples/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: { 'no-restricted-imports': rule([noNode, noElectron, noRenderer, noOutsideShared, { group: ['dockerode', 'ws', 'sirv'], message: 'shared/ is pure.' }]) },
  },
  {
    files: ['electron/services/**/*.ts', 'electron/host/**/*.ts', 'electron/cli/**/*.ts'],
    rules: { 'no-restricted-imports': rule([noElectron, noRenderer]) },
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: { 'no-restricted-imports': rule([noRenderer]) },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': rule([noNode, noElectron, noBackend]),
    },
  },
)
