import type { ErrorEntry } from './entry.js';

/** Refusals of 帮办代办: proxy intake and the proxy points (代办点). */
export const proxyErrors = {
  PROXY_CONSENT_REQUIRED: {
    status: 400,
    zh: '代办须记录居民的委托同意（方式与时间）',
    en: "A proxy application needs the resident's recorded consent (how and when)",
  },
  PROXY_CONSENT_FILE_REQUIRED: {
    status: 400,
    zh: '签字委托须上传委托书照片',
    en: 'A signed consent needs the photo of the signed form',
  },
  PROXY_CONSENT_FUTURE: {
    status: 400,
    zh: '同意时间不能晚于现在',
    en: 'The consent cannot be dated in the future',
  },
  PROXY_CONSENT_FILE_UNKNOWN: {
    status: 400,
    zh: '委托书照片不存在或不是您上传的，请重新上传',
    en: 'The consent photo does not exist or was not uploaded by you',
  },
  PROXY_ONLY_FOR_PROXY: {
    status: 400,
    zh: '只有代办办件（渠道为帮办代办）才记录代办员与委托同意',
    en: 'Only a proxy application carries an agent and a consent',
  },
  PROXY_AGENT_INVALID: {
    status: 400,
    zh: '代办员须是居民所在网格的网格员或代办点的代办员',
    en: "The agent must be a grid worker of the resident's grid or an agent of a proxy point",
  },
  PROXY_RESIDENT_REQUIRED: {
    status: 400,
    zh: '代办须是居民档案中的居民（先登记居民）',
    en: 'A proxy application is for a resident on file (register the resident first)',
  },
  PROXY_POINT_AGENT_INVALID: {
    status: 400,
    zh: '代办员须是代办点所在辖区、可办理帮办代办的工作人员',
    en: "An agent must be a user of the point's area who may take proxy applications",
  },
  PROXY_POINT_OUTSIDE: {
    status: 400,
    zh: '代办点须在所选网格（社区）范围内',
    en: 'The proxy point must lie inside the chosen grid (community)',
  },
} as const satisfies Record<string, ErrorEntry>;
