// Writes docs/gateways.md from the connector definitions (npm run docs:gateways).
import { writeFileSync } from 'node:fs';
import { renderGatewaysDoc } from '../src/connectors/gateways-doc.ts';
import { CONNECTOR_DEFINITIONS } from '../src/connectors/registry.ts';

writeFileSync(new URL('../docs/gateways.md', import.meta.url), renderGatewaysDoc(CONNECTOR_DEFINITIONS));
console.log('docs/gateways.md written');
