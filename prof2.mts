import { startTestApp, DEMO_KEY, DEMO_MERCHANT } from './test/helpers/test-app.ts';
const j = await startTestApp({ adminApiKey: 's', rateLimits: { enabled: false } as never });
await j.app.inject({ method: 'POST', url: '/merchant-account/create', headers: { 'x-admin-secret': 's', 'content-type': 'application/json' }, payload: JSON.stringify({ merchant_id: 'pro_p', junction_merchant_id: DEMO_MERCHANT }) });
const eng = JSON.stringify({ merchantId: 'pro_p', rankingAlgorithm: 'SR_BASED_ROUTING', paymentInfo: { paymentId: 'b1', amount: 100.5, currency: 'INR', paymentType: 'ORDER_PAYMENT', paymentMethodType: 'CARD', paymentMethod: 'CREDIT', cardSwitchProvider: 'VISA', cardIssuerBankName: 'HDFC Bank', cardIsin: '411111' } });
const basic = { authorization: `Basic ${Buffer.from(DEMO_KEY + ':').toString('base64')}`, 'content-type': 'application/json' };
const ours = JSON.stringify({ paymentInfo: { amount: 100.5, currency: 'INR', paymentMethodType: 'CARD', paymentMethod: 'VISA', cardIssuer: 'HDFC Bank', cardIsin: '411111' } });
const which = process.argv[2];
const s = performance.now();
for (let i = 0; i < 6000; i++) {
  const res = await j.app.inject(which === 'ours' ? { method: 'POST', url: '/v1/decide-gateway', headers: basic, payload: ours } : { method: 'POST', url: '/decide-gateway', headers: { 'x-api-key': DEMO_KEY, 'content-type': 'application/json' }, payload: eng });
  if (res.statusCode !== 200) throw new Error(res.body);
}
console.log(which, performance.now() - s);
await j.close();
