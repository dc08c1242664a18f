import { Alert } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Plays an HLS stream: natively where the browser can (Safari), else through hls.js, loaded
 * only when a camera with a stream is opened (it is not in the console's first bundle).
 */
export function HlsPlayer({ url }: { url: string }) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const el = video.current;
    if (!el) return;
    setFailed(false);
    if (el.canPlayType('application/vnd.apple.mpegurl')) {
      el.src = url;
      return;
    }
    let destroy = () => {};
    let cancelled = false;
    void import('hls.js').then(({ default: Hls }) => {
      if (cancelled) return;
      if (!Hls.isSupported()) {
        setFailed(true);
        return;
      }
      const hls = new Hls();
      hls.loadSource(url);
      hls.attachMedia(el);
      destroy = () => hls.destroy();
    });
    return () => {
      cancelled = true;
      destroy();
    };
  }, [url]);
  return failed ? (
    <Alert type="warning" title={t('gov.cameras.unsupported')} />
  ) : (
    <video
      ref={video}
      controls
      muted
      autoPlay
      style={{ width: '100%', background: '#000' }}
      data-testid="camera-video"
    />
  );
}
