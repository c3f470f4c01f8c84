import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** The pipeline's direction: a folder may import only from the folders below it (DESIGN.md, README "For developers"). */
const BELOW = {
  model: [],
  input: ['model'],
  api: ['model'],
  plan: ['model', 'api'],
  state: ['model', 'plan'],
  apply: ['model', 'api', 'plan', 'state'],
  report: ['model', 'api', 'plan', 'state', 'apply'],
  run: ['model', 'input', 'api', 'plan', 'state', 'apply', 'report', 'simulator'],
  simulator: ['model'],
  // A face: the work is src/run's, reached through its public face (src/run/index.ts) only.
  cli: ['model', 'run'],
};
/** The faces import src/run through src/run/index.ts alone: types from the layers below come through it too. */
const FACES = ['cli'];
const FOLDERS = Object.keys(BELOW);
const direction = Object.entries(BELOW).map(([folder, allowed]) => ({
  files: [`src/${folder}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...FOLDERS.filter((f) => f !== folder && !allowed.includes(f)).map((f) => ({
            group: [`../${f}/*`, `../../${f}/*`],
            message: `src/${folder} may import only from ${allowed.length ? allowed.map((a) => `src/${a}`).join(', ') : 'itself'} (the pipeline's direction).`,
          })),
          ...(FACES.includes(folder)
            ? [
                {
                  group: ['../run/*', '../../run/*', '!../run/index.js', '!../../run/index.js'],
                  message: `src/${folder} is a face: it reaches src/run through src/run/index.ts only.`,
                },
              ]
            : []),
        ],
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'reports/',
      'coverage/',
      'eslint.config.js',
      'vitest.config.ts',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      'no-console': 'error',
    },
  },
  ...direction,
  {
    // Small modules (STYLE, issue 22): no function over 80 lines, no file over 400. Every line
    // counts, blank and comment lines too: the plain reading of "80 lines", and what a reader scrolls.
    files: ['src/**/*.ts'],
    rules: {
      'max-lines-per-function': [
        'error',
        { max: 80, skipBlankLines: false, skipComments: false, IIFEs: true },
      ],
      'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }],
    },
  },
  {
    // Only the CLI talks to the terminal; benches and tests may print.
    files: ['src/cli/**', 'bench/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // Tests read JSON answers and workbook cells as they come: `any` from JSON.parse is their material.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
