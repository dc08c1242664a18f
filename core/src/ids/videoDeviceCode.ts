/**
 * The national video-device code of GB/T 28181-2016 (附录 E, 统一编码规则): 20 digits —
 * 8 of the centre (2 province, 2 city, 2 county as in GB/T 2260, 2 grassroots unit), 2 of the
 * trade (行业编码), 3 of the type (类型编码), 1 of the network (网络标识) and 6 of the serial
 * number. A camera is a front-end device: type 111–199 (131 camera, 132 network camera, …).
 */
export type VideoDeviceCodeProblem = 'format' | 'region' | 'type';

export interface VideoDeviceCodeParts {
  region: string;
  unit: string;
  trade: string;
  type: number;
  network: number;
  serial: string;
}

export function parseVideoDeviceCode(
  code: string,
): { ok: true; parts: VideoDeviceCodeParts } | { ok: false; problem: VideoDeviceCodeProblem } {
  if (!/^\d{20}$/.test(code)) return { ok: false, problem: 'format' };
  const region = code.slice(0, 6);
  // A county-level GB/T 2260 code: a province (11–82), never a province- or city-wide 00.
  const province = Number(region.slice(0, 2));
  if (province < 11 || province > 82 || region.slice(2, 4) === '00' || region.slice(4, 6) === '00')
    return { ok: false, problem: 'region' };
  const type = Number(code.slice(10, 13));
  if (type < 111 || type > 199) return { ok: false, problem: 'type' };
  return {
    ok: true,
    parts: {
      region,
      unit: code.slice(6, 8),
      trade: code.slice(8, 10),
      type,
      network: Number(code.slice(13, 14)),
      serial: code.slice(14),
    },
  };
}

export function isValidVideoDeviceCode(code: string): boolean {
  return parseVideoDeviceCode(code).ok;
}
