// The Fastify instance the admin route groups register on (TypeBox type provider, inside adminRoutes).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

export type AdminApp = Parameters<FastifyPluginAsyncTypebox>[0];
