// Size check for issue 18: no function longer than MAX_FUNCTION_LINES and no file longer than
// MAX_FILE_LINES in src/ and dashboard/src/. A function's length runs from its first to its last
// line, so a factory returning closures counts whole. Test files count for the file limit but not
// for the function limit (a describe block is a list of cases, not a function to read at once).
// Prints every offender, largest first;
// `--strict` exits 1 when there is one.
//   node scripts/check-sizes.mjs [--strict] [files...]
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const MAX_FUNCTION_LINES = 120;
export const MAX_FILE_LINES = 400;

const args = process.argv.slice(2);
const strict = args.includes('--strict');
const given = args.filter((a) => !a.startsWith('--'));

function walk(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (/\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

const files = given.length > 0 ? given : [...walk('src'), ...walk('dashboard/src')];

function nameOf(node) {
  if (node.name) return node.name.getText();
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent))) return parent.name.getText();
  if (parent && ts.isCallExpression(parent)) return `callback of ${parent.expression.getText().slice(0, 40)}`;
  return '<anonymous>';
}

const longFunctions = [];
const longFiles = [];
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lines > MAX_FILE_LINES) longFiles.push({ lines, where: file });
  const kind = file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const isTest = /\.test\.tsx?$/.test(file);
  const visit = (node) => {
    if (isTest) return;
    if (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node)) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const length = end - start + 1;
      if (length > MAX_FUNCTION_LINES) longFunctions.push({ lines: length, where: `${file}:${start + 1}`, name: nameOf(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

longFunctions.sort((a, b) => b.lines - a.lines);
longFiles.sort((a, b) => b.lines - a.lines);
console.log(`functions over ${MAX_FUNCTION_LINES} lines: ${longFunctions.length}`);
for (const f of longFunctions) console.log(`  ${String(f.lines).padStart(4)}  ${f.where}  ${f.name}`);
console.log(`files over ${MAX_FILE_LINES} lines: ${longFiles.length}`);
for (const f of longFiles) console.log(`  ${String(f.lines).padStart(4)}  ${f.where}`);
if (strict && (longFunctions.length > 0 || longFiles.length > 0)) process.exit(1);
