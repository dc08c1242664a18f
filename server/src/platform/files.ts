import { createHash, createHmac, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type Metadata } from 'sharp';
import type { Actor } from './auth/actor.js';
import type { Db } from './db.js';
import { AppError, fieldError } from './errors.js';

export const maxImageBytes = 10 * 1024 * 1024;
/**
 * A photo of 50 megapixels is more than any phone takes; a 10000×10000 PNG of one colour
 * compresses to a few KB and would cost ~400 MB of memory to decode.
 */
export const maxImagePixels = 50_000_000;
export const imageMimes = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ImageMime = (typeof imageMimes)[number];

/**
 * What a file is, from its first bytes — never from its name or the client's type:
 * JPEG starts FF D8 FF, PNG with its 8-byte signature, WebP is a RIFF container of type WEBP.
 */
export function sniffImage(buf: Buffer): ImageMime | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  if (
    buf.length >= 8 &&
    buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'image/png';
  if (buf.length >= 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP')
    return 'image/webp';
  return null;
}

/** PDF 1.x/2.0 (ISO 32000) starts with `%PDF-` and a version digit; a name ending .pdf says nothing. */
export function isPdf(buf: Buffer): boolean {
  return (
    buf.length >= 8 && buf.toString('latin1', 0, 5) === '%PDF-' && /[12]/.test(buf.toString('latin1', 5, 6))
  );
}

/** A file's identity by content: the same photo sent twice hashes the same. */
export function contentHash(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

export interface StoredImage {
  mime: ImageMime;
  size: number;
  width: number | null;
  height: number | null;
  sha256: string;
  storageKey: string;
  thumbKey: string;
}

export interface StoredDocument {
  mime: 'application/pdf';
  size: number;
  sha256: string;
  storageKey: string;
}

/** The file store: local disk under DATA_DIR/files, or an S3-compatible bucket; laid out by month. */
export interface FileStore {
  saveImage(buf: Buffer): Promise<StoredImage>;
  /** A PDF (a scanned material), checked by its header; no thumbnail. */
  saveDocument(buf: Buffer, maxBytes: number): Promise<StoredDocument>;
  read(key: string): Promise<Buffer>;
}

/** Where the bytes go: whole objects by key, written so a reader never sees half of one. */
export interface BlobStore {
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  /** The object, or AppError NOT_FOUND. */
  get(key: string): Promise<Buffer>;
}

/** Keys the stores make (`YYYYMM/uuid[.thumb].ext`); anything else is not found, never a path. */
const keyPattern = /^[0-9]{6}\/[0-9a-f-]{36}(\.thumb)?\.(jpg|png|webp|pdf)$/;
const checkedKey = (key: string) => {
  if (!keyPattern.test(key)) throw new AppError('NOT_FOUND');
  return key;
};

export function localBlobStore(root: string): BlobStore {
  return {
    async put(key, data) {
      const path = join(root, checkedKey(key));
      await mkdir(join(root, key.slice(0, 6)), { recursive: true });
      const tmp = `${path}.${randomUUID()}.tmp`;
      try {
        await writeFile(tmp, data);
        await rename(tmp, path);
      } catch (e) {
        // A disk that fills up mid-write leaves a partial temporary file: remove it.
        await rm(tmp, { force: true }).catch(() => undefined);
        const code = (e as { code?: string }).code;
        throw code === 'ENOSPC' || code === 'EDQUOT' ? new AppError('FILE_STORE_FULL') : e;
      }
    },
    get: (key) =>
      readFile(join(root, checkedKey(key))).catch((e: { code?: string }) => {
        throw e.code === 'ENOENT' ? new AppError('NOT_FOUND') : e;
      }),
  };
}

export interface S3Location {
  endpoint: string;
  bucket: string;
  region: string;
  accessKey: string;
  secretKey: string;
}

/** `http(s)://ACCESS_KEY:SECRET@host[:port]/bucket[?region=…]` (FILES_S3_URL). */
export function parseS3Url(value: string): S3Location {
  const u = new URL(value);
  const bucket = u.pathname.replace(/^\/+|\/+$/g, '');
  if (!u.username || !u.password || !bucket || bucket.includes('/'))
    throw new Error('FILES_S3_URL must be http(s)://ACCESS_KEY:SECRET@host/bucket');
  return {
    endpoint: `${u.protocol}//${u.host}`,
    bucket,
    region: u.searchParams.get('region') ?? 'us-east-1',
    accessKey: decodeURIComponent(u.username),
    secretKey: decodeURIComponent(u.password),
  };
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * The headers of one S3 request signed with AWS Signature Version 4 (path-style, the payload's
 * hash signed): what MinIO, Ceph, 阿里云 OSS's S3 endpoint and the others all accept.
 */
export function signS3Request(
  loc: S3Location,
  method: 'GET' | 'PUT',
  key: string,
  body: Buffer | null,
  now = new Date(),
): { url: string; headers: Record<string, string> } {
  const url = new URL(
    `${loc.endpoint}/${encodeURIComponent(loc.bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`,
  );
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const payloadHash = sha256(body ?? '');
  const canonicalHeaders = `host:${url.host}\nx-amz-content-sha256:${payloadHash}\nx-amz-date:${amzDate}\n`;
  const signedHeaders = 'host;x-amz-content-sha256;x-amz-date';
  const canonicalRequest = [method, url.pathname, '', canonicalHeaders, signedHeaders, payloadHash].join(
    '\n',
  );
  const scope = `${day}/${loc.region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${loc.secretKey}`, day), loc.region), 's3'), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(toSign).digest('hex');
  return {
    url: url.toString(),
    headers: {
      'x-amz-content-sha256': payloadHash,
      'x-amz-date': amzDate,
      authorization: `AWS4-HMAC-SHA256 Credential=${loc.accessKey}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    },
  };
}

/** An S3 call that cannot be made or is refused is the store's fault: 503, nothing half-saved. */
const s3Timeout = 30_000;

export function s3BlobStore(loc: S3Location): BlobStore {
  return {
    async put(key, data, contentType) {
      const { url, headers } = signS3Request(loc, 'PUT', checkedKey(key), data);
      const res = await fetch(url, {
        method: 'PUT',
        headers: { ...headers, 'content-type': contentType },
        body: new Uint8Array(data),
        signal: AbortSignal.timeout(s3Timeout),
      }).catch(() => null);
      if (!res?.ok) throw new AppError('FILE_STORE_UNAVAILABLE');
      await res.arrayBuffer();
    },
    async get(key) {
      const { url, headers } = signS3Request(loc, 'GET', checkedKey(key), null);
      const res = await fetch(url, { headers, signal: AbortSignal.timeout(s3Timeout) }).catch(() => null);
      if (res?.status === 404) throw new AppError('NOT_FOUND');
      if (!res?.ok) throw new AppError('FILE_STORE_UNAVAILABLE');
      return Buffer.from(await res.arrayBuffer());
    },
  };
}

/** The configured store: the S3 bucket of FILES_S3_URL, or DATA_DIR/files. */
export function fileStoreFor(config: { FILES_S3_URL?: string | undefined; dataDir: string }): FileStore {
  return fileStoreOn(
    config.FILES_S3_URL
      ? s3BlobStore(parseS3Url(config.FILES_S3_URL))
      : localBlobStore(join(config.dataDir, 'files')),
  );
}

export function createLocalFileStore(root: string): FileStore {
  return fileStoreOn(localBlobStore(root));
}

const month = () => new Date().toISOString().slice(0, 7).replace('-', '');

/** Images and PDFs checked, thumbnailed and keyed the same on every store. */
export function fileStoreOn(blobs: BlobStore): FileStore {
  return {
    async saveImage(buf) {
      if (buf.length > maxImageBytes) throw new AppError('FILE_TOO_LARGE');
      const mime = sniffImage(buf);
      if (!mime) throw new AppError('FILE_TYPE');
      // Decoding proves the content is a real image, not just a plausible header.
      let meta: Metadata;
      let thumb: Buffer;
      try {
        meta = await sharp(buf).metadata();
      } catch {
        throw new AppError('FILE_TYPE', 'The image cannot be decoded');
      }
      if ((meta.width ?? 0) * (meta.height ?? 0) > maxImagePixels) throw new AppError('IMAGE_TOO_LARGE');
      try {
        const image = sharp(buf, { failOn: 'error', limitInputPixels: maxImagePixels });
        thumb = await image.rotate().resize(320, 320, { fit: 'inside' }).jpeg({ quality: 75 }).toBuffer();
      } catch {
        throw new AppError('FILE_TYPE', 'The image cannot be decoded');
      }
      const id = randomUUID();
      const m = month();
      const ext = mime === 'image/jpeg' ? 'jpg' : mime === 'image/png' ? 'png' : 'webp';
      const storageKey = `${m}/${id}.${ext}`;
      const thumbKey = `${m}/${id}.thumb.jpg`;
      await blobs.put(storageKey, buf, mime);
      await blobs.put(thumbKey, thumb, 'image/jpeg');
      return {
        mime,
        size: buf.length,
        width: meta.width ?? null,
        height: meta.height ?? null,
        sha256: contentHash(buf),
        storageKey,
        thumbKey,
      };
    },
    async saveDocument(buf, maxBytes) {
      if (buf.length > maxBytes) throw new AppError('FILE_TOO_LARGE');
      if (!isPdf(buf)) throw new AppError('FILE_TYPE');
      const storageKey = `${month()}/${randomUUID()}.pdf`;
      await blobs.put(storageKey, buf, 'application/pdf');
      return { mime: 'application/pdf', size: buf.length, sha256: contentHash(buf), storageKey };
    },
    read: (key) => blobs.get(key),
  };
}

/** The one file of a multipart request, read whole; a missing or oversized file is a clear 4xx. */
export async function readUpload(
  req: import('fastify').FastifyRequest,
  maxBytes: number,
  tooLarge: () => AppError,
): Promise<{ name: string; data: Buffer }> {
  if (!req.isMultipart()) throw fieldError('file', 'multipart', 'UPLOAD_NOT_MULTIPART');
  const part = await req.file({ limits: { fileSize: maxBytes, files: 1 } });
  if (!part) throw fieldError('file', 'required', 'UPLOAD_FILE_MISSING');
  const data = await part.toBuffer().catch((e: { code?: string }) => {
    throw e.code === 'FST_REQ_FILE_TOO_LARGE' ? tooLarge() : e;
  });
  return { name: part.filename, data };
}

/** Whether an actor may see a file that some record of a module holds (a visit's photo…). */
export type FileVisibility = (db: Db, actor: Actor, fileId: string) => Promise<boolean>;

const visibilityChecks = new Set<FileVisibility>();

/**
 * Modules whose records hold uploaded files say here who may see them; `GET /api/files/:id`
 * asks them in turn for a file that is neither the viewer's own nor a case's. (A check is a
 * pure function of the database, so one registry serves every app in the process.)
 */
export function addFileVisibility(check: FileVisibility): void {
  visibilityChecks.add(check);
}

export async function fileVisibleThroughModules(db: Db, actor: Actor, fileId: string): Promise<boolean> {
  for (const check of visibilityChecks) if (await check(db, actor, fileId)) return true;
  return false;
}
