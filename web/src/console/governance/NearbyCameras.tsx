import { useQuery } from '@tanstack/react-query';
import { Card, List, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { HlsPlayer } from './HlsPlayer.js';

/** 周边视频: the cameras within 500 m of a case's or dispute's point, nearest first; one plays on click. */
export function NearbyCameras({ location }: { location: { lat: number; lng: number } }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [playing, setPlaying] = useState<string | null>(null);
  const near = useQuery({
    queryKey: ['cameras', 'near', location.lat, location.lng],
    queryFn: () => call('GET /api/cameras/near', { query: { ...location, radius: 500 } }),
    enabled: can('camera:read'),
  });
  if (!can('camera:read') || !near.data?.items.length) return null;
  return (
    <Card title={t('gov.cameras.near')} size="small" data-testid="nearby-cameras">
      {playing && <HlsPlayer url={playing} />}
      <List
        size="small"
        dataSource={near.data.items}
        renderItem={(c) => (
          <List.Item
            extra={
              c.streamUrl ? (
                <Typography.Link onClick={() => setPlaying(c.streamUrl)}>
                  {t('gov.cameras.play')}
                </Typography.Link>
              ) : (
                <Typography.Text type="secondary">{t('gov.cameras.noStream')}</Typography.Text>
              )
            }
          >
            {c.name}（{c.distanceM} m）
          </List.Item>
        )}
      />
    </Card>
  );
}
