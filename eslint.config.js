// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'src/playground/web/**/*.js', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    // Scripts and command lines talk to a person on the terminal.
    files: ['src/cli/**', 'bench/**', 'src/main.ts', 'src/playground/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
