// The application/json body parser: an empty body is {}, malformed JSON an INVALID_INPUT answer.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.ts';

export function registerJsonBodyParser(app: FastifyInstance): void {
  // Keep the raw JSON text: gateway webhook signatures are computed over it.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, text, done) => {
    (request as FastifyRequest & { rawBody?: string }).rawBody = text as string;
    if ((text as string).trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(text as string));
    } catch {
      done(new AppError('INVALID_INPUT', 'Request body is not valid JSON', { fields: [{ field_name: 'body', reason: 'is not valid JSON' }] }), undefined);
    }
  });
}
