import { z } from 'zod';
import { latLng } from './cases.js';
import { intId } from './common.js';

/** What kind of camera (the type digits of its code say the device class; this is its form). */
export const cameraTypes = ['bullet', 'dome', 'ptz', 'panoramic'] as const;
export const cameraTypeNames: Record<(typeof cameraTypes)[number], string> = {
  bullet: '枪机',
  dome: '半球',
  ptz: '球机（云台）',
  panoramic: '全景',
};

const streamUrl = z
  .string()
  .url()
  .max(500)
  .regex(/^https?:\/\//, '视频流地址须为 http(s) 的 HLS 地址');

/** The code's shape is checked by the service (GB/T 28181), so the reply names the rule broken. */
export const cameraInput = z.object({
  code: z.string().trim().min(1).max(20),
  name: z.string().trim().min(2).max(100),
  location: latLng,
  /** 权属单位: who owns and looks after it. */
  owner: z.string().trim().min(2).max(100),
  type: z.enum(cameraTypes),
  streamUrl: streamUrl.nullable().optional(),
});
export type CameraInput = z.infer<typeof cameraInput>;
export const cameraPatch = cameraInput.omit({ code: true }).partial();
export type CameraPatch = z.infer<typeof cameraPatch>;

/** `bbox=minLng,minLat,maxLng,maxLat` (WGS-84 degrees), as map viewports send it. */
export const cameraQuery = z.object({
  bbox: z
    .string()
    .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, 'bbox 为 minLng,minLat,maxLng,maxLat')
    .optional(),
  orgUnitId: intId.optional(),
});
export const cameraNearQuery = z.object({
  lat: z.coerce.number().min(-90).max(90),
  lng: z.coerce.number().min(-180).max(180),
  /** Metres. */
  radius: z.coerce.number().int().min(10).max(5000).default(500),
});

/** The contract: `{id, code, name, location, streamUrl}`, and more for the console. */
export const camera = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  location: latLng,
  streamUrl: z.string().nullable(),
  owner: z.string(),
  type: z.enum(cameraTypes),
  gridId: z.number().int().nullable(),
  /** From the point asked about (cameras near a case), in metres. */
  distanceM: z.number().int().optional(),
});
export type Camera = z.infer<typeof camera>;
export const cameraList = z.object({ items: z.array(camera) });
