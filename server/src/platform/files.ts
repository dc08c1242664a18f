import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
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

/** The file store: local disk under DATA_DIR/files, laid out by month. */
export interface FileStore {
  saveImage(buf: Buffer): Promise<StoredImage>;
  /** A PDF (a scanned material), checked by its header; no thumbnail. */
  saveDocument(buf: Buffer, maxBytes: number): Promise<StoredDocument>;
  read(key: string): Promise<Buffer>;
}

export function createLocalFileStore(root: string): FileStore {
  const pathOf = (key: string) => {
    if (!/^[0-9]{6}\/[0-9a-f-]{36}(\.thumb)?\.(jpg|png|webp|pdf)$/.test(key)) throw new AppError('NOT_FOUND');
    return join(root, key);
  };
  const writeAtomically = async (key: string, data: Buffer) => {
    const path = pathOf(key);
    const tmp = `${path}.${randomUUID()}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, path);
  };
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
      const month = new Date().toISOString().slice(0, 7).replace('-', '');
      await mkdir(join(root, month), { recursive: true });
      const ext = mime === 'image/jpeg' ? 'jpg' : mime === 'image/png' ? 'png' : 'webp';
      const storageKey = `${month}/${id}.${ext}`;
      const thumbKey = `${month}/${id}.thumb.jpg`;
      await writeAtomically(storageKey, buf);
      await writeAtomically(thumbKey, thumb);
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
      const month = new Date().toISOString().slice(0, 7).replace('-', '');
      await mkdir(join(root, month), { recursive: true });
      const storageKey = `${month}/${randomUUID()}.pdf`;
      await writeAtomically(storageKey, buf);
      return { mime: 'application/pdf', size: buf.length, sha256: contentHash(buf), storageKey };
    },
    read: (key) => readFile(pathOf(key)),
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
