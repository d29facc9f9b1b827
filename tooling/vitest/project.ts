/**
 * Shared vitest project settings: every package's tests run on its TypeScript source through the
 * `@mxrtc/source` export condition, so a fresh clone needs no build before `pnpm test`.
 */
import { defaultClientConditions, defaultServerConditions } from "vite";
import { defineProject, type TestProjectInlineConfiguration } from "vitest/config";

type ProjectOptions = NonNullable<TestProjectInlineConfiguration["test"]>;

/** The export condition that points each workspace package at `src/index.ts`. */
export const sourceCondition = "@mxrtc/source";

/**
 * A vitest project for one package.
 *
 * @param name - the project name shown in test output (the package folder name).
 * @param test - extra vitest options (globalSetup, timeouts, environment).
 */
export function mxrtcProject(name: string, test: ProjectOptions = {}) {
  return defineProject({
    resolve: { conditions: [sourceCondition, ...defaultClientConditions] },
    ssr: { resolve: { conditions: [sourceCondition, ...defaultServerConditions] } },
    test: {
      name,
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      ...test,
    },
  });
}
