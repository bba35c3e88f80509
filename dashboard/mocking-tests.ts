// The component tests that replace a module with vi.mock. They run with a module graph of their own
// (vite.config.ts, project "isolated"); every other test file shares one per worker, where a mock
// would not reach a module an earlier file already imported. src/mocking-tests.test.ts fails when a
// file that calls vi.mock is missing here.
export const MOCKING_FILES = [
  'src/priority-logic/LogicForm.test.tsx',
  'src/priority-logic/LogicViewPage.test.tsx',
  'src/priority-logic/VersionDiff.test.tsx',
  'src/priority-logic/invalidation.test.tsx',
];
