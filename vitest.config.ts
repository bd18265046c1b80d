import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/unit/**/*.test.ts'],
    environment: 'node',
    // Results must not depend on the machine's zone; the engine never reads the clock, but formatters might.
    env: { TZ: 'UTC' },
  },
});
