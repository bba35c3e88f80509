// The admin API's gateway account routes: add, list, get, update (credentials never returned in clear).
import { Type } from 'typebox';
import type { MerchantService } from '../../core/merchants/merchant-service.ts';
import { NoQuery } from '../schemas.ts';
import type { AdminApp } from './admin-app.ts';
import { AccountParams, accountFields, CreateAccountRequest, errors, GatewayAccountBody, gatewayAccountToAdminWire, MerchantParams, PatchAccountRequest, security } from './admin-wire.ts';

export function registerGatewayAccountAdminRoutes(app: AdminApp, merchants: MerchantService): void {
  app.post(
    '/merchants/:merchantId/gateway-accounts',
    {
      schema: {
        tags: ['admin'],
        summary: 'Add a gateway account (credentials are encrypted at rest and never returned)',
        security,
        params: MerchantParams,
        body: CreateAccountRequest,
        response: { 201: GatewayAccountBody, ...errors },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const account = await merchants.createGatewayAccount(request.params.merchantId, {
        gateway: b.gateway,
        credentials: b.credentials ?? {},
        ...accountFields(b),
      });
      return reply.status(201).send(gatewayAccountToAdminWire(account));
    },
  );

  app.get(
    '/merchants/:merchantId/gateway-accounts',
    {
      schema: {
        querystring: NoQuery,
        tags: ['admin'],
        summary: 'List gateway accounts',
        security,
        params: MerchantParams,
        response: { 200: Type.Object({ gateway_accounts: Type.Array(GatewayAccountBody) }), ...errors },
      },
    },
    async (request) => ({ gateway_accounts: (await merchants.listGatewayAccounts(request.params.merchantId)).map(gatewayAccountToAdminWire) }),
  );

  app.get(
    '/merchants/:merchantId/gateway-accounts/:accountId',
    { schema: { querystring: NoQuery, tags: ['admin'], summary: 'Get a gateway account', security, params: AccountParams, response: { 200: GatewayAccountBody, ...errors } } },
    async (request) => gatewayAccountToAdminWire(await merchants.getGatewayAccount(request.params.merchantId, request.params.accountId)),
  );

  app.patch(
    '/merchants/:merchantId/gateway-accounts/:accountId',
    {
      schema: {
        tags: ['admin'],
        summary: 'Update a gateway account (partial; credentials replace the whole set)',
        security,
        params: AccountParams,
        body: PatchAccountRequest,
        response: { 200: GatewayAccountBody, ...errors },
      },
    },
    async (request) => {
      const b = request.body;
      const account = await merchants.updateGatewayAccount(request.params.merchantId, request.params.accountId, {
        ...(b.credentials !== undefined ? { credentials: b.credentials } : {}),
        ...accountFields(b),
      });
      return gatewayAccountToAdminWire(account);
    },
  );
}
