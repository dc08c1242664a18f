import { BellOutlined } from '@ant-design/icons';
import type { Notification } from '@civicgrid/core/api/cases';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Dropdown, Empty, List, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { call, href } from '../../common/client.js';
import { fmt } from './shared.js';

/**
 * The console page a notification opens: its link when it is a console page (an application
 * at /applications/{id}, a case at /cases/{id}), else its case (notifications written before
 * they named their subject). A resident portal link (/r/…) is not the console's.
 */
export function notificationPage(n: Notification): string | null {
  if (n.link?.startsWith('/') && !n.link.startsWith('/r/') && !n.link.startsWith('//')) return n.link;
  if (n.subjectType === 'application' && n.subjectId) return `/applications/${n.subjectId}`;
  return n.caseId ? `/cases/${n.caseId}` : null;
}

/**
 * The bell in the header: unread notifications, pushed live over Server-Sent Events.
 * Case changes from the same stream refresh whatever case lists are on screen.
 */
export function NotificationBell() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { notification } = App.useApp();
  const list = useQuery({
    queryKey: ['notifications'],
    queryFn: () => call('GET /api/notifications', { query: { pageSize: 10 } }),
  });
  // Whether the event stream is connected (the bell says so to tests and assistive scripts).
  const [live, setLive] = useState(false);
  useEffect(() => {
    const es = new EventSource(href('GET /api/notifications/stream'));
    es.addEventListener('open', () => setLive(true));
    es.addEventListener('error', () => setLive(false));
    es.addEventListener('notification', (e) => {
      const n = JSON.parse((e as MessageEvent).data) as Notification;
      notification.info({
        message: n.title,
        description: n.body,
        placement: 'bottomRight',
        onClick: () => {
          const page = notificationPage(n);
          if (page) navigate(page);
        },
      });
      void qc.invalidateQueries({ queryKey: ['notifications'] });
    });
    es.addEventListener('case', (e) => {
      const c = JSON.parse((e as MessageEvent).data) as { id: string };
      void qc.invalidateQueries({ queryKey: ['cases'] });
      void qc.invalidateQueries({ queryKey: ['case-counts'] });
      // The dashboard's numbers move with every case reported or handled.
      void qc.invalidateQueries({ queryKey: ['dashboard'] });
      void qc.invalidateQueries({ queryKey: ['case', c.id] });
      void qc.invalidateQueries({ queryKey: ['case-events', c.id] });
    });
    return () => es.close();
  }, [qc, navigate, notification]);

  const open = async (n: Notification) => {
    if (!n.readAt)
      await call('POST /api/notifications/:id/read', { params: { id: n.id } }).catch(() => undefined);
    void qc.invalidateQueries({ queryKey: ['notifications'] });
    const page = notificationPage(n);
    if (page) navigate(page);
  };
  return (
    <Dropdown
      trigger={['click']}
      popupRender={() => (
        <div
          style={{
            width: 360,
            background: '#fff',
            boxShadow: '0 6px 16px rgba(0,0,0,.12)',
            borderRadius: 8,
            padding: 8,
          }}
        >
          <div style={{ display: 'flex', justifyContent: 'space-between', padding: '4px 8px' }}>
            <Typography.Text strong>{t('cases.notifications.title')}</Typography.Text>
            <Button
              size="small"
              type="link"
              onClick={async () => {
                await call('POST /api/notifications/read-all');
                void qc.invalidateQueries({ queryKey: ['notifications'] });
              }}
            >
              {t('cases.notifications.readAll')}
            </Button>
          </div>
          {(list.data?.items.length ?? 0) === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cases.notifications.empty')} />
          ) : (
            <List
              size="small"
              dataSource={list.data?.items}
              renderItem={(n) => (
                <List.Item onClick={() => open(n)} style={{ cursor: 'pointer', opacity: n.readAt ? 0.6 : 1 }}>
                  <List.Item.Meta
                    title={<span style={{ fontWeight: n.readAt ? 400 : 600 }}>{n.title}</span>}
                    description={`${fmt(n.createdAt)} ${n.body ?? ''}`}
                  />
                </List.Item>
              )}
            />
          )}
        </div>
      )}
    >
      <Badge count={list.data?.unread ?? 0} size="small" data-testid="notification-badge">
        <Button
          type="text"
          icon={<BellOutlined />}
          aria-label={t('cases.notifications.title')}
          data-testid="notification-bell"
          data-live={live ? 'true' : 'false'}
        />
      </Badge>
    </Dropdown>
  );
}
