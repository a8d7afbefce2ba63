import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { AppError } from '../lib/errors.js';
import { databaseRefusal } from '../lib/pg-errors.js';
import type { WebIndex } from './web-index.js';

/** Turns a zod issue path into the field name the web form uses (`experts.0.name`). */
function fieldName(path: ReadonlyArray<PropertyKey>): string {
  return path.map(String).join('.') || '_';
}

/**
 * zod issues → VALIDATION_FAILED with per-field Chinese messages; exported for the places that validate outside
 * Fastify's schema step (the study live channel parses its frames itself) so their errors read the same.
 */
export function validationError(issues: Array<{ path: ReadonlyArray<PropertyKey>; message: string }>): AppError {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const name = fieldName(issue.path);
    fields[name] ??= issue.message;
  }
  const messages = Object.values(fields);
  return new AppError('VALIDATION_FAILED', {
    message: messages.length === 1 ? (messages[0] as string) : `提交的信息有误：${messages.slice(0, 3).join('；')}`,
    fields,
  });
}

/**
 * One error shape for everything: { code, message, fields? }, Chinese messages, no stack traces. The handler
 * must not fail itself: a failure here falls through to Fastify's default handler, whose raw shape
 * (FST_ERR_REP_INVALID_PAYLOAD_TYPE and the like) is what a browser would then show.
 */
export function installErrorHandling(app: FastifyInstance, web?: WebIndex): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    let appError: AppError;
    try {
      appError = toAppError(err, req);
    } catch (mappingError) {
      req.log.error({ err: mappingError, original: err }, 'error mapping failed');
      appError = new AppError('INTERNAL_ERROR');
    }
    // A download route (PDF, xlsx) may have set its content type and disposition before it failed: the error
    // is JSON and is not saved as a file. The body goes out already serialised, so no route's response
    // schema or serializer stands between the error and the client.
    reply.removeHeader('content-disposition');
    reply.removeHeader('content-length');
    reply.type('application/json; charset=utf-8');
    try {
      if (appError.headers) reply.headers(appError.headers);
    } catch (headerError) {
      req.log.error({ err: headerError }, 'error headers refused');
    }
    return reply.status(appError.status).send(JSON.stringify(appError.toBody()));
  });

  app.setNotFoundHandler((req, reply) => {
    // The web app's router owns every other GET path: answer with its index.html (files come from @fastify/static).
    // A missing hashed asset (an old page after a deploy) must be a 404, never index.html served as script.
    if (web && req.method === 'GET' && !req.url.startsWith('/api/') && !req.url.startsWith('/assets/')) {
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(web.html);
    }
    const e = new AppError('ROUTE_NOT_FOUND', { message: `接口不存在：${req.method} ${req.url.split('?')[0]}` });
    return reply.status(404).send(e.toBody());
  });
}

function toAppError(err: FastifyError, req: FastifyRequest): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    return validationError(
      err.validation.map((v) => ({
        path: v.instancePath.split('/').filter(Boolean),
        message: v.message ?? '格式不正确',
      })),
    );
  }
  if (err instanceof ZodError) return validationError(err.issues);
  if (isResponseSerializationError(err)) {
    req.log.error({ err }, 'response did not match its schema');
    return new AppError('INTERNAL_ERROR');
  }
  if (err.statusCode === 413 || err.code === 'FST_REQ_FILE_TOO_LARGE') return new AppError('PAYLOAD_TOO_LARGE');
  if (err.statusCode === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE');
  if (err.statusCode === 429) return new AppError('RATE_LIMITED');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return new AppError('VALIDATION_FAILED', { message: '请求格式错误，请检查提交的内容' });
  }
  const refusal = databaseRefusal(err);
  if (refusal) {
    // SQLSTATE and names only: the driver's error carries the query's parameters and PostgreSQL's message
    // quotes the refused value. (`code` would meet the redaction of verification codes, hence `answer`.)
    const { code: answer, ...where } = refusal;
    req.log.warn({ dbRefusal: { answer, ...where } }, 'database refused the query');
    return new AppError(refusal.code, refusal.code === 'DATABASE_BUSY' ? { headers: { 'retry-after': '5' } } : {});
  }
  req.log.error({ err }, 'unhandled error');
  return new AppError('INTERNAL_ERROR');
}
