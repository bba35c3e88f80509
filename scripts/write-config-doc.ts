// Writes the README's configuration table from the environment schema (npm run docs:config).
import { readFileSync, writeFileSync } from 'node:fs';
import { replaceConfigTable } from '../src/config-env.ts';

const readme = new URL('../README.md', import.meta.url);
writeFileSync(readme, replaceConfigTable(readFileSync(readme, 'utf8')));
console.log('README.md configuration table written');
