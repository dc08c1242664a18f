import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileStoreFor, parseS3Url, signS3Request } from './files.js';

/** FILES_S3_URL against s3rver, a local S3 double that checks Signature V4 as S3 does. */
let s3: S3rver;
let endpoint = '';
const dataDir = mkdtempSync(join(tmpdir(), 'cg-s3-'));

beforeAll(async () => {
  s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: mkdtempSync(join(tmpdir(), 'cg-s3rver-')),
    configureBuckets: [{ name: 'civicgrid', configs: [] }],
  });
  const addr = await s3.run();
  endpoint = `127.0.0.1:${addr.port}`;
});
afterAll(async () => {
  await s3?.close();
});

const png = () =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .png()
    .toBuffer();
const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

describe('the S3 file store (FILES_S3_URL)', () => {
  it('keeps a photo, its thumbnail and a PDF in the bucket and nothing on local disk', async () => {
    const store = fileStoreFor({ FILES_S3_URL: `http://S3RVER:S3RVER@${endpoint}/civicgrid`, dataDir });
    const image = await png();
    const saved = await store.saveImage(image);
    expect(saved).toMatchObject({ mime: 'image/png', width: 64, height: 48, size: image.length });
    expect((await store.read(saved.storageKey)).equals(image)).toBe(true);
    const thumb = await store.read(saved.thumbKey);
    expect((await sharp(thumb).metadata()).format).toBe('jpeg');
    const doc = await store.saveDocument(pdf, 1024 * 1024);
    expect((await store.read(doc.storageKey)).equals(pdf)).toBe(true);
    expect(existsSync(join(dataDir, 'files'))).toBe(false);
  });

  it('a key it never made, or one shaped like a path, is not found', async () => {
    const store = fileStoreFor({ FILES_S3_URL: `http://S3RVER:S3RVER@${endpoint}/civicgrid`, dataDir });
    await expect(store.read('202601/00000000-0000-4000-8000-000000000000.jpg')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(store.read('../../etc/passwd')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('an unknown access key (refused) or a store that is down is 503, never half a save', async () => {
    const wrong = fileStoreFor({
      FILES_S3_URL: `http://NOBODY:not-the-secret@${endpoint}/civicgrid`,
      dataDir,
    });
    await expect(wrong.saveImage(await png())).rejects.toMatchObject({ code: 'FILE_STORE_UNAVAILABLE' });
    const down = fileStoreFor({ FILES_S3_URL: 'http://S3RVER:S3RVER@127.0.0.1:1/civicgrid', dataDir });
    await expect(down.saveDocument(pdf, 1024 * 1024)).rejects.toMatchObject({
      code: 'FILE_STORE_UNAVAILABLE',
    });
  });

  it('signs as AWS Signature V4 (the signature botocore makes for the same request)', () => {
    // Made with botocore 1.43's S3SigV4Auth for this PUT, body "hello", at 2026-12-02T15:30:08Z.
    const loc = parseS3Url(
      'http://AKIDEXAMPLE:wJalrXUtnFEMI%2FK7MDENG%2BbPxRfiCYEXAMPLEKEY@127.0.0.1:9000/civicgrid?region=cn-north-1',
    );
    const { url, headers } = signS3Request(
      loc,
      'PUT',
      '202601/0b6f3a52-9d1c-4c53-9e0e-5a2f1f3c7d10.png',
      Buffer.from('hello'),
      new Date('2026-12-02T15:30:08.123Z'),
    );
    expect(url).toBe('http://127.0.0.1:9000/civicgrid/202601/0b6f3a52-9d1c-4c53-9e0e-5a2f1f3c7d10.png');
    expect(headers['x-amz-date']).toBe('20261202T153008Z');
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261202/cn-north-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=0c3772a1c298c07c14b92ad8802b331208c798e6175e3f76792c152daa47ac41',
    );
  });
});
