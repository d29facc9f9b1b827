import { defineConfig } from "vitest/config";

/** Root config: one vitest run over every package and app, each a project with its own config. */
export default defineConfig({
  test: {
    projects: [
      "packages/*/vitest.config.ts",
      "apps/*/vitest.config.ts",
      "tooling/*/vitest.config.ts",
      "tests/*/vitest.config.ts",
    ],
  },
});
