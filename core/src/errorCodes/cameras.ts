import type { ErrorEntry } from './entry.js';

/** Refusals of the camera registry (GB/T 28181 device codes). */
export const camerasErrors = {
  CAMERA_CODE_FORMAT: {
    status: 400,
    zh: '设备编码应为 20 位数字（GB/T 28181）',
    en: 'A device code is 20 digits (GB/T 28181)',
  },
  CAMERA_CODE_REGION: {
    status: 400,
    zh: '设备编码前 6 位应为县级行政区划代码',
    en: 'The first 6 digits of a device code are a county code',
  },
  CAMERA_CODE_TYPE: {
    status: 400,
    zh: '设备编码第 11–13 位应为前端设备类型（111–199）',
    en: 'Digits 11–13 of the code are a front-end device type (111–199)',
  },
  CAMERA_CODE_TAKEN: { status: 409, zh: '该设备编码已登记', en: 'The device code is already registered' },
  CAMERA_OUTSIDE: {
    status: 400,
    zh: '点位不在您辖区的网格内',
    en: 'The location lies in no grid of your jurisdiction',
  },
} as const satisfies Record<string, ErrorEntry>;
