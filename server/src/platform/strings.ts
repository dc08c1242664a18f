import type { FieldError } from '@civicgrid/core';
import type { FastifyInstance } from 'fastify';
import { AppError } from './errors.js';

/**
 * C0 controls and DEL, except tab, line feed and carriage return, which multi-line notes
 * need. PostgreSQL cannot store U+0000 in text at all (it fails the whole statement), and
 * the others are never typed by a person: they hide text from a reviewer, break CSV and
 * log lines, or smuggle terminal escapes.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
export const controlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export const controlCharacterMessage = '含有不可见的控制字符，请删除后重试';

/** Every string in a parsed value whose text holds a control character, by its dotted path. */
export function findControlCharacters(value: unknown, path: string, out: string[] = [], depth = 0): string[] {
  if (out.length >= 20 || depth > 32) return out;
  if (typeof value === 'string') {
    if (controlCharacters.test(value)) out.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => {
      findControlCharacters(v, path ? `${path}.${i}` : String(i), out, depth + 1);
    });
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const at = path ? `${path}.${k}` : k;
      if (controlCharacters.test(k)) out.push(at);
      else findControlCharacters(v, at, out, depth + 1);
    }
  }
  return out;
}

/**
 * Refuses control characters in the path parameters, query and JSON body of every route,
 * before its own schema runs: one rule for every route, present and future, so a NUL byte
 * can never reach SQL (where it was a 500 carrying the statement's parameters into the log).
 * Multipart uploads are checked by the file store; CSV and spreadsheet cells by the importer.
 */
export function registerControlCharacterGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    const fields = [
      ...findControlCharacters(req.params, ''),
      ...findControlCharacters(req.query, ''),
      ...(req.isMultipart?.() ? [] : findControlCharacters(req.body, '')),
    ];
    if (fields.length === 0) return;
    const errors: FieldError[] = fields.map((field) => ({
      field: field || 'body',
      rule: 'noControlCharacters',
      message: controlCharacterMessage,
    }));
    throw new AppError('VALIDATION', `${errors[0]?.field}: ${controlCharacterMessage}`, errors);
  });
}
