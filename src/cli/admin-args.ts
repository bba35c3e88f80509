// Argument parsing of the admin CLI: a pure function from argv to a command, so it is tested
// without a database or a process.

export type AdminCommand =
  | { command: 'help' }
  | { command: 'create-merchant'; name: string; id?: string; webhookUrl?: string }
  | { command: 'create-key'; merchantId: string; label?: string }
  | { command: 'list-keys'; merchantId: string }
  | { command: 'revoke-key'; merchantId: string; keyId: string }
  | {
      command: 'add-gateway';
      merchantId: string;
      gateway: string;
      referenceId?: string;
      credentials: Record<string, string>;
      methods?: string[];
      brands?: string[];
      currencies?: string[];
      priority?: number;
      enabled: boolean;
    }
  | { command: 'list-gateways'; merchantId: string }
  | { command: 'list-merchants'; limit?: string; cursor?: string; withGateways: boolean }
  | { command: 'create-user'; merchantId: string; email: string; name: string; role: string; password?: string }
  | { command: 'set-password'; merchantId: string; email: string; password: string }
  | { command: 'rotate-keys' }
  | { command: 'show-signing-keys'; merchantId: string }
  | { command: 'rotate-response-key'; merchantId: string }
  | { command: 'rotate-webhook-key'; merchantId: string }
  | { command: 'export'; merchantId?: string; out?: string }
  | { command: 'import'; file: string; replace: boolean };

/** A command that does something (help only prints the usage). */
export type RunnableCommand = Exclude<AdminCommand, { command: 'help' }>;

export interface ParsedAdminArgs {
  command: AdminCommand;
  /** Base URL of a running service: talk to its admin API instead of opening the database. */
  url?: string;
}

export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export const ADMIN_USAGE = `Usage: npm run admin -- [global flags] <command> [--flags] [global flags]

Commands:
  create-merchant --name NAME [--id MERCHANT_ID] [--webhook-url URL]
  create-key      --merchant MERCHANT_ID [--label LABEL]
  list-keys       --merchant MERCHANT_ID
  revoke-key      --merchant MERCHANT_ID --key-id KEY_ID
  add-gateway     --merchant MERCHANT_ID --gateway SIM_ALPHA [--reference-id REF]
                  [--credentials '{"api_key":"..."}'] [--methods CARD,UPI] [--brands VISA,RUPAY]
                  [--currencies INR,USD] [--priority 100] [--disabled]
  list-gateways   --merchant MERCHANT_ID
  list-merchants  [--limit 50] [--cursor NEXT_CURSOR] [--with-gateways]   merchants in id order, a page at a time
  create-user     --merchant MERCHANT_ID --email EMAIL --name NAME --role ADMIN|EDITOR|APPROVER|VIEWER
                  [--password PASSWORD]   a dashboard user; its API token is shown once
  set-password    --merchant MERCHANT_ID --email EMAIL --password PASSWORD
                  a dashboard user's sign-in password (ends the user's sessions)
  rotate-keys     re-encrypt every secret at rest under the first key of JUNCTION_MASTER_KEYS
                  (database only, not with --url)
  show-signing-keys   --merchant MERCHANT_ID   the response key (return-URL signature) and the
                      webhook signing key, in clear (see docs/webhooks.md)
  rotate-response-key --merchant MERCHANT_ID   a new response key; the old one stops signing at once
  rotate-webhook-key  --merchant MERCHANT_ID   a new webhook signing key; the old one stops signing at once
  export          [--merchant MERCHANT_ID] [--out FILE]   a merchant's whole state (or every merchant's)
                  as JSON Lines, to FILE or standard output (database only; see the README, Operations)
  import          --file FILE [--replace]   loads an export in one transaction; refuses rows that exist
                  unless --replace (database only; FILE - reads standard input)
  help

Global flags (before or after the command):
  --url http://host:port   talk to a running service's admin API (needs JUNCTION_ADMIN_KEY in the
                           environment); without it the CLI opens the database itself (DATA_DIR or
                           DATABASE_URL), which an embedded database allows only while the service is stopped.
`;

/** Flags each command accepts; true means the flag takes no value. */
const FLAGS: Record<Exclude<AdminCommand['command'], 'help'>, Record<string, boolean>> = {
  'create-merchant': { name: false, id: false, 'webhook-url': false },
  'create-key': { merchant: false, label: false },
  'list-keys': { merchant: false },
  'revoke-key': { merchant: false, 'key-id': false },
  'add-gateway': { merchant: false, gateway: false, 'reference-id': false, credentials: false, methods: false, brands: false, currencies: false, priority: false, disabled: true },
  'list-gateways': { merchant: false },
  'list-merchants': { limit: false, cursor: false, 'with-gateways': true },
  'create-user': { merchant: false, email: false, name: false, role: false, password: false },
  'set-password': { merchant: false, email: false, password: false },
  'rotate-keys': {},
  'show-signing-keys': { merchant: false },
  'rotate-response-key': { merchant: false },
  'rotate-webhook-key': { merchant: false },
  export: { merchant: false, out: false },
  import: { file: false, replace: true },
};

/** Flags of the CLI itself, accepted before or after the command; true means the flag takes no value. */
const GLOBAL_FLAGS: Record<string, boolean> = { url: false, help: true };

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function parseCredentials(value: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new CliUsageError('--credentials must be a JSON object, e.g. \'{"api_key":"..."}\'');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new CliUsageError('--credentials must be a JSON object of strings');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v !== 'string') throw new CliUsageError(`--credentials: the value of "${k}" must be a string`);
    out[k] = v;
  }
  return out;
}

/**
 * Takes the global flags out of argv wherever they stand (before or after the command), so
 * `--url X list-keys --merchant m` and `list-keys --merchant m --url X` mean the same.
 */
function splitGlobalFlags(argv: readonly string[]): { rest: string[]; url?: string; help: boolean } {
  const rest: string[] = [];
  let url: string | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '-h') {
      help = true;
      continue;
    }
    if (!token.startsWith('--')) {
      rest.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const flag = eq === -1 ? token.slice(2) : token.slice(2, eq);
    if (!Object.hasOwn(GLOBAL_FLAGS, flag)) {
      rest.push(token);
      continue;
    }
    if (GLOBAL_FLAGS[flag] === true) {
      if (eq !== -1) throw new CliUsageError(`--${flag} takes no value`);
      help = true;
      continue;
    }
    let value: string;
    if (eq !== -1) {
      value = token.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new CliUsageError(`--${flag} needs a value`);
      value = next;
      i++;
    }
    if (url !== undefined) throw new CliUsageError(`--${flag} given twice`);
    if (!/^https?:\/\/[^\s/]+/.test(value)) throw new CliUsageError('--url must look like http://127.0.0.1:8080');
    url = value.replace(/\/+$/, '');
  }
  return { rest, ...(url !== undefined ? { url } : {}), help };
}

/** A command's flags (`--flag value`, `--flag=value`, or a bare switch), each known to the command and given once. */
function readCommandFlags(name: string, allowed: Readonly<Record<string, boolean>>, rest: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i]!;
    if (!token.startsWith('--')) throw new CliUsageError(`Unexpected argument "${token}"`);
    const eq = token.indexOf('=');
    const flag = eq === -1 ? token.slice(2) : token.slice(2, eq);
    if (!(flag in allowed)) throw new CliUsageError(`Unknown flag --${flag} for ${name}`);
    let value: string;
    if (allowed[flag] === true) {
      if (eq !== -1) throw new CliUsageError(`--${flag} takes no value`);
      value = 'true';
    } else if (eq !== -1) {
      value = token.slice(eq + 1);
    } else {
      const next = rest[i + 1];
      if (next === undefined || next.startsWith('--')) throw new CliUsageError(`--${flag} needs a value`);
      value = next;
      i++;
    }
    if (flags.has(flag)) throw new CliUsageError(`--${flag} given twice`);
    flags.set(flag, value);
  }
  return flags;
}

export function parseAdminArgs(argv: readonly string[]): ParsedAdminArgs {
  const globals = splitGlobalFlags(argv);
  const [first, ...rest] = globals.rest;
  if (globals.help || first === undefined || first === 'help') return { command: { command: 'help' } };
  if (first.startsWith('--')) throw new CliUsageError(`Unknown global flag ${first.split('=')[0]} (command flags go after the command). Run "npm run admin -- help".`);
  if (!Object.hasOwn(FLAGS, first)) throw new CliUsageError(`Unknown command "${first}". Run "npm run admin -- help".`);
  const name = first as keyof typeof FLAGS;
  const allowed = FLAGS[name];
  const flags = readCommandFlags(name, allowed, rest);
  const url = globals.url;
  const required = (flag: string): string => {
    const value = flags.get(flag);
    if (value === undefined || value === '') throw new CliUsageError(`${name} needs --${flag}`);
    return value;
  };
  const optional = (flag: string): string | undefined => flags.get(flag);
  let command: AdminCommand;
  switch (name) {
    case 'create-merchant': {
      const id = optional('id');
      const webhookUrl = optional('webhook-url');
      command = { command: name, name: required('name'), ...(id !== undefined ? { id } : {}), ...(webhookUrl !== undefined ? { webhookUrl } : {}) };
      break;
    }
    case 'create-key': {
      const label = optional('label');
      command = { command: name, merchantId: required('merchant'), ...(label !== undefined ? { label } : {}) };
      break;
    }
    case 'list-keys':
    case 'list-gateways':
    case 'show-signing-keys':
    case 'rotate-response-key':
    case 'rotate-webhook-key':
      command = { command: name, merchantId: required('merchant') };
      break;
    case 'rotate-keys':
      command = { command: name };
      break;
    case 'list-merchants': {
      const limit = optional('limit');
      const cursor = optional('cursor');
      command = { command: name, withGateways: flags.has('with-gateways'), ...(limit !== undefined ? { limit } : {}), ...(cursor !== undefined ? { cursor } : {}) };
      break;
    }
    case 'export': {
      const merchantId = optional('merchant');
      const out = optional('out');
      if (merchantId === '') throw new CliUsageError('--merchant needs a value');
      command = { command: name, ...(merchantId !== undefined ? { merchantId } : {}), ...(out !== undefined && out !== '-' ? { out } : {}) };
      break;
    }
    case 'import':
      command = { command: name, file: required('file'), replace: flags.has('replace') };
      break;
    case 'create-user': {
      const password = optional('password');
      command = {
        command: name,
        merchantId: required('merchant'),
        email: required('email'),
        name: required('name'),
        role: required('role').toUpperCase(),
        ...(password !== undefined ? { password } : {}),
      };
      break;
    }
    case 'set-password':
      command = { command: name, merchantId: required('merchant'), email: required('email'), password: required('password') };
      break;
    case 'revoke-key':
      command = { command: name, merchantId: required('merchant'), keyId: required('key-id') };
      break;
    case 'add-gateway': {
      const referenceId = optional('reference-id');
      const credentials = optional('credentials');
      const methods = optional('methods');
      const brands = optional('brands');
      const currencies = optional('currencies');
      const priorityText = optional('priority');
      let priority: number | undefined;
      if (priorityText !== undefined) {
        priority = Number(priorityText);
        if (!/^\d+$/.test(priorityText) || !Number.isSafeInteger(priority)) throw new CliUsageError('--priority must be a non-negative integer');
      }
      command = {
        command: name,
        merchantId: required('merchant'),
        gateway: required('gateway').toUpperCase(),
        credentials: credentials === undefined ? {} : parseCredentials(credentials),
        enabled: !flags.has('disabled'),
        ...(referenceId !== undefined ? { referenceId } : {}),
        ...(methods !== undefined ? { methods: list(methods) } : {}),
        ...(brands !== undefined ? { brands: list(brands) } : {}),
        ...(currencies !== undefined ? { currencies: list(currencies) } : {}),
        ...(priority !== undefined ? { priority } : {}),
      };
      break;
    }
  }
  return url === undefined ? { command } : { command, url };
}

/** The admin API request that does what `command` does locally. */
export function remoteRequest(command: Exclude<AdminCommand, { command: 'help' }>): { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; path: string; body?: Record<string, unknown> } {
  const m = (id: string): string => `/admin/v1/merchants/${encodeURIComponent(id)}`;
  switch (command.command) {
    case 'create-merchant':
      return {
        method: 'POST',
        path: '/admin/v1/merchants',
        body: { name: command.name, ...(command.id !== undefined ? { merchant_id: command.id } : {}), ...(command.webhookUrl !== undefined ? { webhook_url: command.webhookUrl } : {}) },
      };
    case 'create-key':
      return { method: 'POST', path: `${m(command.merchantId)}/api-keys`, body: command.label !== undefined ? { label: command.label } : {} };
    case 'list-keys':
      return { method: 'GET', path: `${m(command.merchantId)}/api-keys` };
    case 'revoke-key':
      return { method: 'DELETE', path: `${m(command.merchantId)}/api-keys/${encodeURIComponent(command.keyId)}` };
    case 'add-gateway':
      return {
        method: 'POST',
        path: `${m(command.merchantId)}/gateway-accounts`,
        body: {
          gateway: command.gateway,
          credentials: command.credentials,
          enabled: command.enabled,
          ...(command.referenceId !== undefined ? { gateway_reference_id: command.referenceId } : {}),
          ...(command.methods !== undefined ? { payment_method_types: command.methods } : {}),
          ...(command.brands !== undefined ? { card_brands: command.brands } : {}),
          ...(command.currencies !== undefined ? { currencies: command.currencies } : {}),
          ...(command.priority !== undefined ? { priority: command.priority } : {}),
        },
      };
    case 'list-gateways':
      return { method: 'GET', path: `${m(command.merchantId)}/gateway-accounts` };
    case 'list-merchants': {
      const query = new URLSearchParams();
      if (command.limit !== undefined) query.set('limit', command.limit);
      if (command.cursor !== undefined) query.set('cursor', command.cursor);
      if (command.withGateways) query.set('include_gateway_accounts', 'true');
      const qs = query.toString();
      return { method: 'GET', path: `/admin/v1/merchants${qs ? `?${qs}` : ''}` };
    }
    case 'create-user':
      return {
        method: 'POST',
        path: `${m(command.merchantId)}/users`,
        body: { email: command.email, name: command.name, role: command.role, ...(command.password !== undefined ? { password: command.password } : {}) },
      };
    case 'set-password':
      return { method: 'PUT', path: `${m(command.merchantId)}/users/password`, body: { email: command.email, password: command.password } };
    case 'show-signing-keys':
      return { method: 'GET', path: `${m(command.merchantId)}/signing-keys` };
    case 'rotate-response-key':
      return { method: 'POST', path: `${m(command.merchantId)}/signing-keys/response-key/rotate` };
    case 'rotate-webhook-key':
      return { method: 'POST', path: `${m(command.merchantId)}/signing-keys/webhook-key/rotate` };
    case 'rotate-keys':
    case 'export':
    case 'import':
      throw new CliUsageError(`${command.command} works on the database directly: run it without --url`);
  }
}
