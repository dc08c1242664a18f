import { EyeOutlined } from '@ant-design/icons';
import type { CaseDetail, CaseEvent } from '@civicgrid/core/api/cases';
import { type CaseAction, type CaseState, caseStateNames } from '@civicgrid/core/cases/stateMachine';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Image,
  Row,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { errorMessage } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';
import { NearbyCameras } from '../governance/NearbyCameras.js';
import { PropertyClockCard } from '../participation/PropertyHint.js';
import { ActionModal, actionLabel, dangerActions } from './ActionModal.js';
import { CaseMap } from './CaseMap.js';
import { RoutingSuggestionCard } from './RoutingSuggestion.js';
import { DueCell, fmt, StateTag, useGridsOf, useVisibleUnit } from './shared.js';

const primaryActions: CaseAction[] = [
  'accept',
  'dispatch',
  'claim',
  'resolve',
  'verify',
  'followUp',
  'selfResolve',
];

function EventItem({ e }: { e: CaseEvent }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en-US' ? 'en' : 'zh';
  // A trail entry is an action, or one of the few events that are not (report, warning, overdue).
  const name = i18n.exists(`cases.actions.${e.action}`)
    ? t(`cases.actions.${e.action}`)
    : t(`cases.events.${e.action}`, { defaultValue: e.action });
  const d = (e.data ?? {}) as Record<string, unknown>;
  const assignee = d.assignee as { name?: string } | undefined;
  const changed = e.fromState && e.toState && e.fromState !== e.toState;
  return (
    <div data-testid="case-event">
      <Space wrap size={6}>
        <Typography.Text strong>{name}</Typography.Text>
        <Typography.Text type="secondary">{e.actorName}</Typography.Text>
        <Typography.Text type="secondary">{fmt(e.at)}</Typography.Text>
        {changed && (
          <Typography.Text type="secondary">
            {caseStateNames[e.fromState as CaseState]?.[lang]} →{' '}
            {caseStateNames[e.toState as CaseState]?.[lang]}
          </Typography.Text>
        )}
      </Space>
      {assignee?.name && <div>{t('cases.detail.event.dispatchedTo', { name: assignee.name })}</div>}
      {typeof d.passed === 'boolean' && (
        <div>
          {t('cases.detail.event.verification', {
            result: t(d.passed ? 'cases.detail.event.passed' : 'cases.detail.event.failed'),
          })}
        </div>
      )}
      {typeof d.rating === 'string' && (
        <div>
          {t('cases.detail.event.rating', {
            rating: t(`cases.ratings.${d.rating}`, { defaultValue: d.rating }),
          })}
        </div>
      )}
      {e.action === 'recategorise' && (
        <div>
          {t('cases.detail.event.recategorised', {
            from: (d.from as { name?: string } | undefined)?.name ?? '',
            to: (d.to as { name?: string } | undefined)?.name ?? '',
          })}
        </div>
      )}
      {typeof d.toUnitName === 'string' && (
        <div>{t('cases.detail.event.movedTo', { unit: d.toUnitName })}</div>
      )}
      {typeof d.until === 'string' && (
        <div>{t('cases.detail.event.extendedTo', { until: fmt(d.until) })}</div>
      )}
      {e.note && <div style={{ whiteSpace: 'pre-wrap' }}>{e.note}</div>}
      {e.attachments.length > 0 && (
        <Image.PreviewGroup>
          <Space wrap style={{ marginTop: 6 }}>
            {e.attachments.map((a) => (
              <Image
                key={a.id}
                width={72}
                height={72}
                style={{ objectFit: 'cover' }}
                src={a.thumbUrl}
                preview={{ src: a.url }}
              />
            ))}
          </Space>
        </Image.PreviewGroup>
      )}
    </div>
  );
}

/** 事件详情: the case, its trail, its photos and place, and only the actions allowed now. */
/**
 * The reporter with the masked phone; a holder of pii:reveal may show it in full, each time
 * audited by the server (and rate-limited like every reveal).
 */
function ReporterCell({ caseId, reporter }: { caseId: string; reporter: CaseDetail['reporter'] }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [phone, setPhone] = useState<string | null>(null);
  if (!reporter) return <>—</>;
  return (
    <Space>
      <span data-testid="case-reporter">{`${reporter.name ?? ''} ${phone ?? reporter.phone ?? ''}`}</span>
      {reporter.phone && phone === null && can('pii:reveal') && (
        <Button
          size="small"
          icon={<EyeOutlined />}
          data-testid="case-reporter-reveal"
          onClick={async () => {
            try {
              setPhone((await call('POST /api/cases/:id/reporter/reveal', { params: { id: caseId } })).phone);
            } catch (e) {
              message.error(errorMessage(e));
            }
          }}
        >
          {t('cases.detail.revealPhone')}
        </Button>
      )}
    </Space>
  );
}

export default function CaseDetailPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [action, setAction] = useState<CaseAction | null>(null);
  const detail = useQuery({
    queryKey: ['case', id],
    queryFn: () => call('GET /api/cases/:id', { params: { id } }),
  });
  const events = useQuery({
    queryKey: ['case-events', id],
    queryFn: () => call('GET /api/cases/:id/events', { params: { id } }),
  });
  const c = detail.data;
  // The grids around the case, as far as the user's jurisdiction reaches.
  const grids = useGridsOf(useVisibleUnit([c?.communityId, c?.gridId]));
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['case', id] });
    void qc.invalidateQueries({ queryKey: ['case-events', id] });
    void qc.invalidateQueries({ queryKey: ['cases'] });
    void qc.invalidateQueries({ queryKey: ['case-counts'] });
  };
  return (
    <QueryState loading={detail.isLoading} error={detail.error} onRetry={() => detail.refetch()}>
      {c && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card
            title={
              <Space wrap>
                <Button type="link" onClick={() => navigate('/cases')} style={{ padding: 0 }}>
                  ← {t('cases.list.title')}
                </Button>
                <Typography.Text code>{c.code}</Typography.Text>
                <StateTag state={c.status} testId="case-status" />
                <span>{c.categoryName}</span>
                {c.priority !== 'normal' && <Tag color="red">{t(`cases.priority.${c.priority}`)}</Tag>}
                {c.supervised && <Tag color="volcano">{t('cases.detail.supervised')}</Tag>}
              </Space>
            }
            extra={
              <Space wrap>
                {c.allowedActions.length === 0 && (
                  <Typography.Text type="secondary">{t('cases.detail.noActions')}</Typography.Text>
                )}
                {[...c.allowedActions]
                  .sort((a, b) => Number(primaryActions.includes(b)) - Number(primaryActions.includes(a)))
                  .map((a) => (
                    <Button
                      key={a}
                      type={primaryActions.includes(a) ? 'primary' : 'default'}
                      danger={dangerActions.includes(a)}
                      onClick={() => setAction(a)}
                      data-testid={`case-action-${a}`}
                    >
                      {actionLabel(t, a)}
                    </Button>
                  ))}
              </Space>
            }
          >
            {c.supervision && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                title={t('cases.detail.supervision', { order: c.supervision.order })}
                description={t('cases.detail.supervisionBy', {
                  by: c.supervision.by,
                  deadline: fmt(c.supervision.deadline),
                })}
              />
            )}
            {c.extension && (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 12 }}
                title={t('cases.detail.extensionPending', { until: fmt(c.extension.until) })}
                description={t('cases.detail.extensionReason', {
                  by: c.extension.requestedBy,
                  reason: c.extension.reason,
                })}
              />
            )}
            <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} bordered>
              <Descriptions.Item label={t('cases.detail.description')} span={3}>
                <span style={{ whiteSpace: 'pre-wrap' }}>{c.description}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('cases.detail.channel')}>
                {t(`cases.channels.${c.channel}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t('cases.detail.reportedAt')}>{fmt(c.reportedAt)}</Descriptions.Item>
              <Descriptions.Item label={t('cases.detail.due')}>
                <DueCell c={c} />
              </Descriptions.Item>
              <Descriptions.Item label={t('cases.detail.address')}>{c.address ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('cases.detail.grid')}>
                {[c.streetName, c.communityName, c.gridName].filter(Boolean).join(' / ') ||
                  t('cases.detail.districtPool')}
              </Descriptions.Item>
              <Descriptions.Item label={t('cases.detail.handlingUnit')}>
                {c.handlingUnitName}
              </Descriptions.Item>
              <Descriptions.Item label={t('cases.detail.assignee')}>
                {c.assignee?.name ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('cases.detail.reporter')}>
                <ReporterCell caseId={c.id} reporter={c.reporter} />
              </Descriptions.Item>
              <Descriptions.Item label={t('cases.detail.rating')}>
                {c.rating
                  ? c.ratingComment
                    ? t('cases.detail.ratingWithComment', {
                        rating: t(`cases.ratings.${c.rating}`),
                        comment: c.ratingComment,
                      })
                    : t(`cases.ratings.${c.rating}`)
                  : '—'}
              </Descriptions.Item>
              {c.reworkCount > 0 && (
                <Descriptions.Item label={t('cases.detail.reworkCount')}>{c.reworkCount}</Descriptions.Item>
              )}
            </Descriptions>
            {c.duplicates.length > 0 && (
              <Alert
                style={{ marginTop: 12 }}
                type="warning"
                title={t('cases.detail.duplicates', { count: c.duplicates.length })}
                description={c.duplicates.map((d) => (
                  <div key={d.id}>
                    <Button type="link" size="small" onClick={() => navigate(`/cases/${d.id}`)}>
                      {d.code}
                    </Button>
                    {d.description}
                    {t('cases.detail.duplicateDistance', { distance: d.distanceM })}
                  </div>
                ))}
              />
            )}
          </Card>
          <Row gutter={16}>
            <Col xs={24} lg={14}>
              <Card title={t('cases.detail.history')} size="small">
                <QueryState loading={events.isLoading} error={events.error} onRetry={() => events.refetch()}>
                  <Timeline
                    items={(events.data?.items ?? []).map((e) => ({
                      color: e.action === 'overdue' ? 'red' : e.action === 'warning' ? 'orange' : 'blue',
                      content: <EventItem e={e} />,
                    }))}
                  />
                </QueryState>
              </Card>
            </Col>
            <Col xs={24} lg={10}>
              <Space orientation="vertical" size={16} style={{ width: '100%' }}>
                <PropertyClockCard caseId={c.id} status={c.status} />
                <Card title={t('cases.detail.photos')} size="small">
                  {c.attachments.length === 0 ? (
                    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cases.detail.noPhotos')} />
                  ) : (
                    <Image.PreviewGroup>
                      <Space wrap>
                        {c.attachments.map((a) => (
                          <Image
                            key={a.id}
                            width={96}
                            height={96}
                            style={{ objectFit: 'cover' }}
                            src={a.thumbUrl}
                            preview={{ src: a.url }}
                          />
                        ))}
                      </Space>
                    </Image.PreviewGroup>
                  )}
                </Card>
                <Card title={t('cases.detail.location')} size="small">
                  {c.location ? (
                    <CaseMap marker={c.location} height={260} areas={grids.data?.items} />
                  ) : (
                    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cases.detail.noLocation')} />
                  )}
                </Card>
                {c.status === 'reported' || c.status === 'accepted' || c.status === 'rework' ? (
                  <RoutingSuggestionCard
                    caseId={c.id}
                    currentCode={c.categoryCode}
                    canRecategorise={c.allowedActions.includes('recategorise')}
                    onRecategorised={refresh}
                  />
                ) : null}
                {c.location && <NearbyCameras location={c.location} />}
              </Space>
            </Col>
          </Row>
          <ActionModal
            action={action}
            caseId={c.id}
            duplicates={c.duplicates}
            onClose={(done) => {
              setAction(null);
              if (done) refresh();
            }}
          />
        </Space>
      )}
    </QueryState>
  );
}
