// Where a connector sends its calls: the configured origin for its gateway (an emulator, a
// sandbox), else the provider's default; never with a trailing slash, so paths join with `/`.
import type { ConnectorContext, ConnectorDefinition } from './definition.ts';

export function gatewayBaseUrl(context: ConnectorContext, definition: Pick<ConnectorDefinition, 'gateway' | 'defaultBaseUrl'>): string {
  return (context.baseUrls[definition.gateway] ?? definition.defaultBaseUrl).replace(/\/$/, '');
}
