import { useQuery } from '@tanstack/react-query';
import { Card, Col, Empty, Row, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, type Reply } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';
import { CaseMap } from '../cases/CaseMap.js';
import { HlsPlayer } from './HlsPlayer.js';

type Camera = Reply<'GET /api/cameras'>['items'][number];

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
