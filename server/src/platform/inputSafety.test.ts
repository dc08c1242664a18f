import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCaseDefaults } from '../modules/cases/defaults.js';
import { login, makeTerritory, makeUser, type Session } from '../test/factories.js';
import { createTestApp, type TestContext } from '../test/harness.js';
import { errorForLog } from './logging.js';

/**
 * Issue 12 items 7 and 9: a NUL byte (or another control character) anywhere a client can
 * put a string was a 500 whose log line carried the statement's parameters; a 10000×10000
 * PNG was accepted as a photo.
 */
let ctx: TestContext;
let clerk: Session;
const logLines: string[] = [];

function multipart(name: string, filename: string, data: Buffer, type: string) {
  const boundary = `----cg${randomUUID()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
  );
  return {
    payload: Buffer.concat([head, data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  ctx = await createTestApp({}, { logger: { level: 'info', stream: sink } });
  const t = await makeTerritory(ctx.deps.db);
  await ensureCaseDefaults(ctx.deps.db);
  await makeUser(ctx.deps, { username: 'clerk', roles: ['serviceClerk'], orgUnit: t.district });
  clerk = await login(ctx.app, 'clerk');
}, 60_000);

afterAll(async () => {
  await ctx?.close();
});

describe('control characters', () => {
  it('a NUL byte in the anonymous login is a 400 naming the field, and nothing is logged of it', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'clerk\u0000', password: 'x\u0000y' },
    });
    expect(res.statusCode).toBe(400);
    const fields = (res.json().errors as { field: string; rule: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['password', 'username']);
    expect(res.json().errors[0].rule).toBe('noControlCharacters');
  });

  it('in a query string, a nested body field and a path parameter', async () => {
    const q = await clerk.get('/api/cases?q=%00abc');
    expect(q.statusCode).toBe(400);
    expect(q.json().errors[0].field).toBe('q');

    const body = await clerk.post('/api/cases', {
      description: '路灯不亮',
      categoryCode: 'C0103',
      channel: 'hotline_12345',
      address: '钢铁大街 1 号',
      reporter: { name: '王\u0000女士', phone: '13912345678' },
      idempotencyKey: randomUUID(),
    });
    expect(body.statusCode).toBe(400);
    expect(body.json().errors[0]).toMatchObject({ field: 'reporter.name', rule: 'noControlCharacters' });

    const path = await clerk.get('/api/cases/%00');
    expect(path.statusCode).toBe(400);

    const esc = await clerk.post('/api/cases', {
      description: '路灯\u001b[2J不亮',
      categoryCode: 'C0103',
      channel: 'hotline_12345',
      address: '钢铁大街 1 号',
      idempotencyKey: randomUUID(),
    });
    expect(esc.statusCode).toBe(400);
    expect(esc.json().errors[0].field).toBe('description');
  });

  it('tab and line breaks in a note are still text', async () => {
    const res = await clerk.post('/api/cases', {
      description: '路灯不亮\n第二行\t并列',
      categoryCode: 'C0103',
      channel: 'hotline_12345',
      address: '钢铁大街 1 号',
      idempotencyKey: randomUUID(),
    });
    expect(res.statusCode).toBe(201);
  });

  it('none of this produced a server error or a log line with the values sent', () => {
    const all = logLines.join('');
    expect(all).not.toContain('unhandled error');
    expect(all).not.toContain('王');
  });
});

describe('errors in the log', () => {
  it('a database error is logged by its SQLSTATE only, never with its statement or parameters', () => {
    const cause = Object.assign(new Error('invalid input syntax for type uuid: "张三"'), {
      code: '22P02',
      constraint: undefined,
    });
    const err = Object.assign(
      new Error('Failed query: select * from users where password_hash = $1\nparams: $argon2id$v=19$secret'),
      { name: 'DrizzleQueryError', query: 'select 1', params: ['$argon2id$v=19$secret', '张三'], cause },
    );
    const logged = JSON.stringify(errorForLog(err));
    expect(logged).toContain('22P02');
    expect(logged).not.toContain('argon2');
    expect(logged).not.toContain('张三');
    expect(logged).not.toContain('password_hash');
  });

  it('an unexpected failure in a route is logged through the same filter', async () => {
    ctx.app.log.error(
      { err: Object.assign(new Error('boom'), { params: ['13912345678'], query: 'insert …' }) },
      'unhandled error',
    );
    const line = logLines.at(-1) ?? '';
    expect(line).toContain('unhandled error');
    expect(line).not.toContain('13912345678');
  });
});

describe('photos', () => {
  it('refuses an image of more than 50 megapixels with a clear 413, and takes a normal one', async () => {
    const huge = await sharp({
      create: { width: 10000, height: 10000, channels: 3, background: '#ffffff' },
      limitInputPixels: false,
    })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(huge.length).toBeLessThan(10 * 1024 * 1024);
    const m = multipart('file', 'huge.png', huge, 'image/png');
    const res = await clerk.inject({
      method: 'POST',
      url: '/api/files',
      payload: m.payload,
      headers: m.headers,
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('IMAGE_TOO_LARGE');

    const small = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#cc3333' } })
      .png()
      .toBuffer();
    const ok = multipart('file', 'ok.png', small, 'image/png');
    const res2 = await clerk.inject({
      method: 'POST',
      url: '/api/files',
      payload: ok.payload,
      headers: ok.headers,
    });
    expect(res2.statusCode).toBe(201);
  });
});
