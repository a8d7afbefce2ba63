import fs from 'node:fs';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { AppError } from '../lib/errors.js';

/** Turns a zod issue path into the field name the web form uses (`experts.0.name`). */
function fieldName(path: ReadonlyArray<PropertyKey>): string {
  return path.map(String).join('.') || '_';
}

function validationError(issues: Array<{ path: ReadonlyArray<PropertyKey>; message: string }>): AppError {
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

/** One error shape for everything: { code, message, fields? }, Chinese messages, no stack traces. */
export function installErrorHandling(app: FastifyInstance, web?: { root: string; index: string }): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    let appError: AppError;
    if (err instanceof AppError) {
      appError = err;
    } else if (hasZodFastifySchemaValidationErrors(err)) {
      appError = validationError(
        err.validation.map((v) => {
          const issue = v.params.issue as { path?: PropertyKey[]; message?: string };
          return { path: issue.path ?? [], message: issue.message ?? v.message ?? '格式不正确' };
        }),
      );
    } else if (err instanceof ZodError) {
      appError = validationError(err.issues);
    } else if (isResponseSerializationError(err)) {
      req.log.error({ err }, 'response did not match its schema');
      appError = new AppError('INTERNAL_ERROR');
    } else if (err.statusCode === 413 || err.code === 'FST_REQ_FILE_TOO_LARGE') {
      appError = new AppError('PAYLOAD_TOO_LARGE');
    } else if (err.statusCode === 415) {
      appError = new AppError('UNSUPPORTED_MEDIA_TYPE');
    } else if (err.statusCode === 429) {
      appError = new AppError('RATE_LIMITED');
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      appError = new AppError('VALIDATION_FAILED', { message: '请求格式错误，请检查提交的内容' });
    } else {
      req.log.error({ err }, 'unhandled error');
      appError = new AppError('INTERNAL_ERROR');
    }
    if (appError.headers) reply.headers(appError.headers);
    return reply.status(appError.status).send(appError.toBody());
  });

  app.setNotFoundHandler((req, reply) => {
    // The web app's router owns every other GET path: answer with its index.html (files come from @fastify/static).
    if (web && req.method === 'GET' && !req.url.startsWith('/api/')) {
      return reply.type('text/html').header('cache-control', 'no-cache').send(fs.createReadStream(web.index));
    }
    const e = new AppError('ROUTE_NOT_FOUND', { message: `接口不存在：${req.method} ${req.url.split('?')[0]}` });
    return reply.status(404).send(e.toBody());
  });
}
