// A test file that calls vi.mock but runs in the shared module graph would get the real module
// whenever an earlier file in its worker imported it first: it passes or fails by file order.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MOCKING_FILES } from '../mocking-tests.ts';

const root = join(import.meta.dirname, '..');

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return /\.test\.tsx?$/.test(name) ? [relative(root, path)] : [];
  });
}

describe('the isolated test project', () => {
  it('holds exactly the test files that call vi.mock', () => {
    const mocking = testFiles(join(root, 'src'))
      .filter((file) => /\bvi\.(do)?mock\(/.test(readFileSync(join(root, file), 'utf8')))
      .sort();
    expect(mocking.length).toBeGreaterThan(0);
    expect([...MOCKING_FILES].sort()).toEqual(mocking);
  });
});
