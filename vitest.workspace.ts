/**
 * The test projects of the civicgrid workspace. The root `vitest.config.ts`
 * imports this list as `test.projects`.
 */
export default ["packages/*/vitest.config.ts", "examples/*/vitest.config.ts", "docs/vitest.config.ts"]
