// Customers, payment methods and payment page sessions.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import type { CustomerService } from '../../core/customers/customer-service.ts';
import { flattenBody } from '../../core/payments/input.ts';
import type { MerchantAuth } from '../auth/merchant-auth.ts';
import { AnyObject, CustomerBody, SessionBody } from '../schemas.ts';

export interface CustomerRoutesDeps {
  customers: CustomerService;
  auth: MerchantAuth;
  paymentMethods(merchantId: string, options: { addOutage: boolean }): Promise<Record<string, unknown>>;
  createSession(merchantId: string, body: Record<string, string>): Promise<Record<string, unknown>>;
}

export function customerRoutes(deps: CustomerRoutesDeps): FastifyPluginAsyncTypebox {
  const { customers, auth } = deps;
  return async (app) => {
    const idParams = Type.Object({ customer_id: Type.String({ maxLength: 128 }) });
    app.post('/customers', { schema: { tags: ['customers'], summary: 'Create a customer', body: CustomerBody } }, async (request) => {
      const principal = await auth.required(request);
      return customers.create(principal.merchantId, flattenBody(request.body));
    });
    app.get('/customers/:customer_id', { schema: { tags: ['customers'], summary: 'Get a customer', params: idParams, querystring: AnyObject } }, async (request) => {
      const principal = await auth.required(request);
      return customers.get(principal.merchantId, request.params.customer_id, flattenBody(request.query));
    });
    app.post('/customers/:customer_id', { schema: { tags: ['customers'], summary: 'Update a customer', params: idParams, body: CustomerBody } }, async (request) => {
      const principal = await auth.required(request);
      return customers.update(principal.merchantId, request.params.customer_id, flattenBody(request.body));
    });

    app.get(
      '/merchants/:merchant_id/paymentmethods',
      {
        schema: {
          tags: ['payment methods'],
          summary: 'Payment methods the merchant can take, with gateways',
          params: Type.Object({ merchant_id: Type.String({ maxLength: 64 }) }),
          querystring: AnyObject,
        },
      },
      async (request) => {
        const principal = await auth.required(request);
        const { merchant_id } = request.params;
        if (merchant_id !== principal.merchantId) throw new AppError('RESOURCE_NOT_FOUND', `Merchant ${merchant_id} not found`);
        const q = flattenBody(request.query);
        return deps.paymentMethods(principal.merchantId, { addOutage: q['options.add_outage'] === 'true' });
      },
    );

    app.post('/session', { schema: { tags: ['sessions'], summary: 'Create order and payment page session', body: SessionBody } }, async (request) => {
      const principal = await auth.required(request);
      return deps.createSession(principal.merchantId, flattenBody(request.body));
    });
  };
}
