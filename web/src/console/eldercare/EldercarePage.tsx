import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Badge,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Row,
  Slider,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart } from '../../common/Chart.js';
import { call, type Reply } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';
import { CaseMap } from '../cases/CaseMap.js';

type Device = Reply<'GET /api/devices'>['items'][number];
type Alert = Reply<'GET /api/alerts'>['items'][number];
type Live = { kind: 'position' | 'alert'; deviceId: string; lat: number | null; lng: number | null };

const urgent = new Set(['sos', 'fall']);

/**
 * 智慧养老: the wearables of the area on the map at their last positions (moved live by the
 * eldercare stream), the alert queue with acknowledgement, the chosen device's day replayed
 * on the map and its vital signs charted, and each device's health.
 */
export default function EldercarePage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const devices = useQuery({
    queryKey: ['eldercare', 'devices'],
    queryFn: () => call('GET /api/devices', { query: { pageSize: 200 } }),
  });
  const alerts = useQuery({
    queryKey: ['eldercare', 'alerts'],
    queryFn: () => call('GET /api/alerts', { query: { status: 'open', pageSize: 100 } }),
  });
  const [moved, setMoved] = useState<Record<string, { lat: number; lng: number }>>({});
  const [live, setLive] = useState(false);
  const [chosen, choose] = useState<Device | null>(null);
  const [day, setDay] = useState<Dayjs>(dayjs());
  const [step, setStep] = useState(0);
  const [playing, setPlaying] = useState(false);
  const setChosen = (d: Device | null) => {
    choose(d);
    setStep(0);
    setPlaying(false);
  };

  useEffect(() => {
    const es = new EventSource('/api/eldercare/stream');
    es.addEventListener('open', () => setLive(true));
    es.addEventListener('error', () => setLive(false));
    es.addEventListener('eldercare', (e) => {
      const m = JSON.parse((e as MessageEvent).data) as Live;
      if (m.kind === 'alert') void qc.invalidateQueries({ queryKey: ['eldercare'] });
      else if (m.lat !== null && m.lng !== null) {
        const at = { lat: m.lat, lng: m.lng };
        setMoved((was) => ({ ...was, [m.deviceId]: at }));
      }
    });
    return () => es.close();
  }, [qc]);

  const date = day.format('YYYY-MM-DD');
  const track = useQuery({
    queryKey: ['eldercare', 'track', chosen?.id, date],
    queryFn: () => call('GET /api/devices/:id/track', { params: { id: chosen?.id ?? '' }, query: { date } }),
    enabled: !!chosen,
  });
  const vitals = useQuery({
    queryKey: ['eldercare', 'vitals', chosen?.id, date],
    queryFn: () => call('GET /api/devices/:id/vitals', { params: { id: chosen?.id ?? '' }, query: { date } }),
    enabled: !!chosen,
  });
  const points = track.data?.points ?? [];
  // Replay: the marker walks the day's points, one every 150 ms.
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => {
      setStep((s) => {
        if (s + 1 >= points.length) {
          setPlaying(false);
          return s;
        }
        return s + 1;
      });
    }, 150);
    return () => clearInterval(timer);
  }, [playing, points.length]);

  const ack = useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'acknowledge' | 'close' }) =>
      call('POST /api/alerts/:id/actions/:action', { params: { id, action }, body: {} }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['eldercare'] }),
  });

  const items = devices.data?.items ?? [];
  const openAlerts = alerts.data?.items ?? [];
  const alerted = new Set(openAlerts.map((a) => a.deviceId));
  const mapPoints = items.flatMap((d) => {
    const p =
      moved[d.id] ??
      (d.last?.lat != null && d.last?.lng != null ? { lat: d.last.lat, lng: d.last.lng } : null);
    return p ? [{ id: d.id, lat: p.lat, lng: p.lng, overdue: alerted.has(d.id), status: d.status }] : [];
  });
  const at = points[Math.min(step, points.length - 1)];
  const vitalOption = useMemo(() => {
    const v = vitals.data?.points ?? [];
    if (!v.length) return null;
    const x = v.map((p) => dayjs(p.ts).format('HH:mm'));
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: [t('elder.hr'), t('elder.bpSys'), t('elder.bpDia')] },
      grid: { left: 40, right: 16, top: 32, bottom: 24 },
      xAxis: { type: 'category', data: x },
      yAxis: { type: 'value', min: 40 },
      series: [
        { name: t('elder.hr'), type: 'line', data: v.map((p) => p.hr), showSymbol: false },
        { name: t('elder.bpSys'), type: 'line', data: v.map((p) => p.bpSys), showSymbol: false },
        { name: t('elder.bpDia'), type: 'line', data: v.map((p) => p.bpDia), showSymbol: false },
      ],
    };
  }, [vitals.data, t]);

  const online = items.filter((d) => d.status === 'online').length;
  return (
    <QueryState loading={devices.isLoading} error={devices.error ?? alerts.error}>
      <div data-testid="eldercare-page">
        <Row gutter={16} style={{ marginBottom: 12 }}>
          <Col span={6}>
            <Card size="small">
              <Statistic title={t('elder.devices')} value={devices.data?.total ?? 0} />
            </Card>
          </Col>
          <Col span={6}>
            <Card size="small">
              <Statistic title={t('elder.online')} value={online} />
            </Card>
          </Col>
          <Col span={6}>
            <Card size="small">
              <Statistic
                title={t('elder.openAlerts')}
                value={alerts.data?.total ?? 0}
                valueStyle={{ color: alerts.data?.total ? '#cf1322' : undefined }}
              />
            </Card>
          </Col>
          <Col span={6}>
            <Card size="small">
              <Badge
                status={live ? 'success' : 'default'}
                text={live ? t('elder.live') : t('elder.offlineStream')}
              />
            </Card>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col xs={24} xl={14}>
            <Card
              size="small"
              title={chosen ? t('elder.trackOf', { name: chosen.elderName, date }) : t('elder.map')}
              extra={
                chosen && (
                  <Space>
                    <DatePicker
                      size="small"
                      value={day}
                      onChange={(d) => d && setDay(d)}
                      allowClear={false}
                    />
                    <Button
                      size="small"
                      data-testid="track-play"
                      disabled={points.length < 2}
                      onClick={() => {
                        setStep(0);
                        setPlaying(true);
                      }}
                    >
                      {t('elder.replay')}
                    </Button>
                    <Button size="small" onClick={() => setChosen(null)}>
                      {t('elder.allDevices')}
                    </Button>
                  </Space>
                )
              }
            >
              <CaseMap
                height={460}
                points={chosen ? [] : mapPoints}
                lines={
                  chosen && points.length > 1 ? [points.map((p) => [p.lng, p.lat] as [number, number])] : []
                }
                marker={chosen && at ? { lat: at.lat, lng: at.lng } : null}
                onOpen={(id) => setChosen(items.find((d) => d.id === id) ?? null)}
              />
              {chosen && (
                <div data-testid="track-replay">
                  {points.length ? (
                    <>
                      <Slider
                        min={0}
                        max={Math.max(points.length - 1, 0)}
                        value={step}
                        onChange={(v) => setStep(v)}
                        tooltip={{
                          formatter: (v) =>
                            v !== undefined && points[v] ? dayjs(points[v].ts).format('HH:mm') : '',
                        }}
                      />
                      <Typography.Text type="secondary" data-testid="track-time">
                        {t('elder.trackPoint', {
                          n: step + 1,
                          total: points.length,
                          time: at ? dayjs(at.ts).format('HH:mm:ss') : '',
                        })}
                      </Typography.Text>
                    </>
                  ) : (
                    <Empty description={track.isLoading ? t('elder.loading') : t('elder.noTrack')} />
                  )}
                </div>
              )}
            </Card>
            {chosen && (
              <Card size="small" title={t('elder.vitals')} style={{ marginTop: 12 }}>
                {vitalOption ? (
                  <Chart option={vitalOption} height={220} testId="vitals-chart" />
                ) : (
                  <Empty description={vitals.isLoading ? t('elder.loading') : t('elder.noVitals')} />
                )}
              </Card>
            )}
          </Col>
          <Col xs={24} xl={10}>
            <Card size="small" title={t('elder.alertQueue')}>
              <Table<Alert>
                size="small"
                rowKey="id"
                data-testid="alert-queue"
                dataSource={openAlerts}
                loading={alerts.isLoading}
                locale={{ emptyText: <Empty description={t('elder.noAlerts')} /> }}
                pagination={{ pageSize: 6, size: 'small' }}
                columns={[
                  {
                    title: t('elder.kind'),
                    dataIndex: 'kind',
                    width: 110,
                    render: (k: Alert['kind']) => (
                      <Tag color={urgent.has(k) ? 'red' : 'orange'}>{t(`elder.kinds.${k}`)}</Tag>
                    ),
                  },
                  { title: t('elder.elder'), dataIndex: 'elderName', width: 80 },
                  {
                    title: t('elder.openedAt'),
                    dataIndex: 'openedAt',
                    width: 90,
                    render: (v: string, a) => (
                      <span>
                        {dayjs(v).format('HH:mm:ss')}
                        {a.repeats > 0 && (
                          <Typography.Text type="secondary"> ×{a.repeats + 1}</Typography.Text>
                        )}
                      </span>
                    ),
                  },
                  {
                    title: t('elder.case'),
                    dataIndex: 'caseCode',
                    render: (c: string | null, a) => (c ? <a href={`/cases/${a.caseId}`}>{c}</a> : '—'),
                  },
                  {
                    title: '',
                    key: 'act',
                    width: 70,
                    render: (_: unknown, a) => (
                      <Button
                        size="small"
                        type="primary"
                        loading={ack.isPending && ack.variables?.id === a.id}
                        onClick={() => ack.mutate({ id: a.id, action: 'acknowledge' })}
                      >
                        {t('elder.acknowledge')}
                      </Button>
                    ),
                  },
                ]}
              />
            </Card>
            <Card size="small" title={t('elder.health')} style={{ marginTop: 12 }}>
              <Table<Device>
                size="small"
                rowKey="id"
                data-testid="device-table"
                dataSource={items}
                locale={{ emptyText: <Empty description={t('elder.noDevices')} /> }}
                pagination={{ pageSize: 8, size: 'small' }}
                onRow={(d) => ({ onClick: () => setChosen(d), style: { cursor: 'pointer' } })}
                columns={[
                  { title: t('elder.elder'), dataIndex: 'elderName', width: 80 },
                  {
                    title: t('elder.status'),
                    dataIndex: 'status',
                    width: 80,
                    render: (s: Device['status']) => (
                      <Badge
                        status={s === 'online' ? 'success' : s === 'offline' ? 'error' : 'default'}
                        text={t(`elder.statuses.${s}`)}
                      />
                    ),
                  },
                  {
                    title: t('elder.battery'),
                    key: 'battery',
                    width: 70,
                    render: (_: unknown, d) =>
                      d.last?.battery != null ? `${Math.round(d.last.battery)}%` : '—',
                  },
                  {
                    title: t('elder.lastSeen'),
                    dataIndex: 'lastSeenAt',
                    render: (v: string | null) => (v ? dayjs(v).format('MM-DD HH:mm') : '—'),
                  },
                ]}
              />
            </Card>
          </Col>
        </Row>
      </div>
    </QueryState>
  );
}
