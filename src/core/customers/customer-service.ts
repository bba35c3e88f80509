// Customers of a merchant (EC API customer objects).
import { AppError, invalidField } from '../errors.ts';
import { newId, randomToken } from '../crypto.ts';
import type { PaymentStore } from '../ports/payment-store.ts';
import { customerView } from '../payments/order-status-view.ts';
import { type FlatBody, readBoolean, readString, requireString } from '../payments/input.ts';

const MOBILE = /^[0-9]{4,15}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function createCustomerService(store: PaymentStore, now: () => Date = () => new Date()) {
  function fields(body: FlatBody) {
    return {
      mobileCountryCode: readString(body, 'mobile_country_code', { max: 5, pattern: /^\+?[0-9]{1,4}$/, patternReason: 'must be a country calling code such as 91' }),
      emailAddress: readString(body, 'email_address', { max: 254, pattern: EMAIL, patternReason: 'must be an email address' }),
      firstName: readString(body, 'first_name', { max: 100 }),
      lastName: readString(body, 'last_name', { max: 100 }),
    };
  }

  function withToken(view: Record<string, unknown>, body: FlatBody): Record<string, unknown> {
    if (!readBoolean(body, 'options.get_client_auth_token')) return view;
    return { ...view, juspay: { client_auth_token: `tkn_${randomToken(24)}`, client_auth_token_expiry: new Date(now().getTime() + 15 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z') } };
  }

  return {
    async create(merchantId: string, body: FlatBody) {
      const objectReferenceId = requireString(body, 'object_reference_id', { max: 128, pattern: /^[A-Za-z0-9_.@+-]+$/, patternReason: 'must be letters, digits and _ . @ + -' });
      const mobileNumber = requireString(body, 'mobile_number', { max: 15, pattern: MOBILE, patternReason: 'must be 4 to 15 digits' });
      const { customer } = await store.insertCustomer({ id: newId('cth'), merchantId, objectReferenceId, mobileNumber, ...fields(body) });
      return withToken(customerView(customer), body);
    },
    async get(merchantId: string, id: string, body: FlatBody = {}) {
      const customer = await store.getCustomer(merchantId, id);
      if (!customer) throw new AppError('RESOURCE_NOT_FOUND', `Customer ${id} not found`, { fields: [{ field_name: 'customer_id', reason: 'no such customer for this merchant' }] });
      return withToken(customerView(customer), body);
    },
    async update(merchantId: string, id: string, body: FlatBody) {
      const customer = await store.getCustomer(merchantId, id);
      if (!customer) throw new AppError('RESOURCE_NOT_FOUND', `Customer ${id} not found`, { fields: [{ field_name: 'customer_id', reason: 'no such customer for this merchant' }] });
      if (body.object_reference_id !== undefined && body.object_reference_id !== customer.objectReferenceId) {
        throw invalidField('object_reference_id', 'cannot be changed');
      }
      const f = fields(body);
      const mobile = readString(body, 'mobile_number', { max: 15, pattern: MOBILE, patternReason: 'must be 4 to 15 digits' });
      const patch = {
        ...(mobile !== null ? { mobileNumber: mobile } : {}),
        ...(body.mobile_country_code !== undefined ? { mobileCountryCode: f.mobileCountryCode } : {}),
        ...(body.email_address !== undefined ? { emailAddress: f.emailAddress } : {}),
        ...(body.first_name !== undefined ? { firstName: f.firstName } : {}),
        ...(body.last_name !== undefined ? { lastName: f.lastName } : {}),
      };
      return customerView(await store.updateCustomer(merchantId, customer.id, patch));
    },
  };
}

export type CustomerService = ReturnType<typeof createCustomerService>;
