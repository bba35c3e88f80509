// Size check for issue 18: no function longer than MAX_FUNCTION_LINES and no file longer than
// MAX_FILE_LINES in src/ and dashboard/src/. A function's length runs from its first to its last
// line, so a factory returning closures counts whole. Test files count for the file limit but not
// for the function limit (a describe block is a list of cases, not a function to read at once).
// Prints every offender, largest first;
// `--strict` exits 1 when there is one.
// `--budget` (what npm test runs) allows the offenders listed in scripts/size-budget.json at their
// listed size or smaller, and fails on any other (a new long function or file, or a listed one
// grown); `--write-budget` writes the list from the tree as it is. The list only shrinks: issue 18's
// goal is an empty one.
//   node scripts/check-sizes.mjs [--strict | --budget | --write-budget] [files...]
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const MAX_FUNCTION_LINES = 120;
export const MAX_FILE_LINES = 400;

const args = process.argv.slice(2);
const strict = args.includes('--strict');
const budgetMode = args.includes('--budget');
const writeBudget = args.includes('--write-budget');
const BUDGET_FILE = new URL('./size-budget.json', import.meta.url);
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

// A function is known by its file and name (its line moves with every edit above it).
const functionKey = (f) => `${f.where.replace(/:\d+$/, '')} ${f.name}`;
if (writeBudget) {
  const budget = { functions: {}, files: {} };
  for (const f of longFunctions) budget.functions[functionKey(f)] = Math.max(f.lines, budget.functions[functionKey(f)] ?? 0);
  for (const f of longFiles) budget.files[f.where] = f.lines;
  fs.writeFileSync(BUDGET_FILE, `${JSON.stringify(budget, null, 2)}\n`);
  console.log(`wrote ${Object.keys(budget.functions).length} functions and ${Object.keys(budget.files).length} files to scripts/size-budget.json`);
}
if (budgetMode) {
  const budget = JSON.parse(fs.readFileSync(BUDGET_FILE, 'utf8'));
  const over = [];
  for (const f of longFunctions) {
    const allowed = budget.functions[functionKey(f)];
    if (allowed === undefined) over.push(`new: ${f.where} ${f.name} is ${f.lines} lines (limit ${MAX_FUNCTION_LINES})`);
    else if (f.lines > allowed) over.push(`grown: ${f.where} ${f.name} is ${f.lines} lines (budget ${allowed}; split it instead)`);
  }
  for (const f of longFiles) {
    const allowed = budget.files[f.where];
    if (allowed === undefined) over.push(`new: ${f.where} is ${f.lines} lines (limit ${MAX_FILE_LINES})`);
    else if (f.lines > allowed) over.push(`grown: ${f.where} is ${f.lines} lines (budget ${allowed})`);
  }
  const stale = Object.keys(budget.functions).length + Object.keys(budget.files).length - (longFunctions.length + longFiles.length);
  if (over.length > 0) {
    console.log(`\nover the size budget (scripts/size-budget.json):\n${over.map((o) => `  ${o}`).join('\n')}`);
    process.exit(1);
  }
  console.log(`within the size budget${stale > 0 ? ` (${stale} budget entries no longer needed: npm run lint:sizes -- --write-budget shrinks the list)` : ''}`);
}
