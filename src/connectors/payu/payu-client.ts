// The one way the PayU connector talks to PayU: form POSTs, to /_payment for payments and to the
// command endpoint (hash = sha512(key|command|var1|SALT)) for everything else.
import { ConnectorError, type ConnectorAccount } from '../../core/ports/connector.ts';
import type { ConnectorContext } from '../kit/definition.ts';
import type { TransportResponse } from '../kit/transport.ts';
import { commandHash } from './hash.ts';
import { parseJson, type PayuCommandAnswer } from './transformers.ts';

export const GATEWAY = 'PAYU';
const COMMAND_PATH = '/merchant/postservice.php?form=2';

/** PayU's production split: payments on secure.payu.in, commands on info.payu.in; one origin otherwise (test.payu.in, emulators). */
export function payuCommandOrigin(paymentOrigin: string): string {
  return paymentOrigin.replace(/^https:\/\/secure\.payu\.in$/, 'https://info.payu.in');
}

export function credentials(account: ConnectorAccount): { key: string; salt: string; rawCardDataEnabled: boolean } {
  const key = account.credentials.merchant_key;
  const salt = account.credentials.merchant_salt;
  if (!key || !salt) throw new ConnectorError('The PayU account needs merchant_key and merchant_salt', GATEWAY, 'CONFIGURATION');
  return { key, salt, rawCardDataEnabled: account.credentials.raw_card_data_enabled === 'true' };
}

export interface PayuClient {
  /** The payment origin (/_payment). */
  baseUrl: string;
  post(account: ConnectorAccount, operation: string, url: string, form: Record<string, string>): Promise<TransportResponse>;
  command(account: ConnectorAccount, operation: string, name: string, vars: { var1: string; var2?: string; var3?: string }): Promise<{ status: number; answer: PayuCommandAnswer | undefined }>;
}

export function createPayuClient(context: ConnectorContext, baseUrl: string): PayuClient {
  const commandUrl = `${payuCommandOrigin(baseUrl)}${COMMAND_PATH}`;

  function post(account: ConnectorAccount, operation: string, url: string, form: Record<string, string>) {
    return context.transport.request({
      gateway: GATEWAY,
      operation,
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      accountId: account.accountId,
    });
  }

  async function command(
    account: ConnectorAccount,
    operation: string,
    name: string,
    vars: { var1: string; var2?: string; var3?: string },
  ): Promise<{ status: number; answer: PayuCommandAnswer | undefined }> {
    const { key, salt } = credentials(account);
    const response = await post(account, operation, commandUrl, {
      key,
      command: name,
      var1: vars.var1,
      ...(vars.var2 !== undefined ? { var2: vars.var2 } : {}),
      ...(vars.var3 !== undefined ? { var3: vars.var3 } : {}),
      hash: commandHash(key, name, vars.var1, salt),
    });
    return { status: response.status, answer: parseJson(response.text) };
  }

  return { baseUrl, post, command };
}
