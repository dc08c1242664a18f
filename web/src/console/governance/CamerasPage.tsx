import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Empty, Row, Table, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, type Reply } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';
import { CaseMap } from '../cases/CaseMap.js';

type Camera = Reply<'GET /api/cameras'>['items'][number];

/**
 * Plays an HLS stream: natively where the browser can (Safari), else through hls.js, loaded
 * only when a camera with a stream is opened (it is not in the console's first bundle).
 */
function HlsPlayer({ url }: { url: string }) {
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
    // biome-ignore lint/a11y/useMediaCaption: live public-video streams carry no captions
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

/** 视频监控: the cameras of the area on the map; one opened plays its stream when it has one. */
export default function CamerasPage() {
  const { t } = useTranslation();
  const cameras = useQuery({ queryKey: ['cameras'], queryFn: () => call('GET /api/cameras') });
  const [open, setOpen] = useState<Camera | null>(null);
  const items = cameras.data?.items ?? [];
  return (
    <QueryState loading={cameras.isLoading} error={cameras.error}>
      <Row gutter={16} data-testid="cameras-page">
        <Col xs={24} xl={15}>
          <Card size="small" title={t('gov.cameras.total', { count: items.length })}>
            <CaseMap
              height={520}
              points={items.map((c) => ({
                id: String(c.id),
                lat: c.location.lat,
                lng: c.location.lng,
                overdue: c.streamUrl !== null,
                status: 'camera',
              }))}
              onOpen={(id) => setOpen(items.find((c) => String(c.id) === id) ?? null)}
            />
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card
            size="small"
            title={open ? t('gov.cameras.playing', { name: open.name }) : t('gov.cameras.play')}
          >
            {open?.streamUrl ? (
              <HlsPlayer url={open.streamUrl} />
            ) : (
              <Empty description={t('gov.cameras.noStream')} />
            )}
            {open && (
              <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                {open.code} · {t(`gov.cameras.types.${open.type}`)} · {open.owner}
              </Typography.Paragraph>
            )}
          </Card>
          <Table
            style={{ marginTop: 12 }}
            size="small"
            rowKey="id"
            dataSource={items}
            pagination={{ pageSize: 8, size: 'small' }}
            onRow={(c) => ({ onClick: () => setOpen(c), style: { cursor: 'pointer' } })}
            data-testid="cameras-table"
            columns={[
              { title: t('gov.cameras.name'), dataIndex: 'name' },
              { title: t('gov.cameras.code'), dataIndex: 'code', width: 190 },
              {
                title: t('gov.cameras.type'),
                dataIndex: 'type',
                width: 70,
                render: (v: Camera['type']) => t(`gov.cameras.types.${v}`),
              },
            ]}
          />
        </Col>
      </Row>
    </QueryState>
  );
}
