import type { ApplicationDetail } from '@civicgrid/core/api/services';
import {
  type ApplicationAction,
  type ApplicationState,
  applicationActions,
} from '@civicgrid/core/services/stateMachine';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, Descriptions, Empty, List, Row, Space, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { call, href } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';
import { fmt } from '../cases/shared.js';
import { ApplicationActionModal, dangerActions } from './ApplicationActionModal.js';
import { RatingCard } from './RatingCard.js';
import { ApplicationStateTag, DueTags, useServiceItems } from './shared.js';

/** The back office's next step stands out; the rest are plain buttons. */
const primaryActions: readonly ApplicationAction[] = ['supplement', 'approve', 'issue', 'collect'];

function EventItem({ e }: { e: ApplicationDetail['events'][number] }) {
  const { t, i18n } = useTranslation();
  const name = i18n.exists(`services.actions.${e.action}`)
    ? t(`services.actions.${e.action}`)
    : t(`services.events.${e.action}`, { defaultValue: e.action });
  const state = (s: string | null) =>
    s ? t(`services.states.${s as ApplicationState}`, { defaultValue: s }) : null;
  return (
    <div data-testid="application-event">
      <Space wrap size={6}>
        <Typography.Text strong>{name}</Typography.Text>
        <Typography.Text type="secondary">{e.actorName}</Typography.Text>
        <Typography.Text type="secondary">{fmt(e.at)}</Typography.Text>
        {e.fromState !== e.toState && (
          <Typography.Text type="secondary">
            {e.fromState ? `${state(e.fromState)} → ` : ''}
            {state(e.toState)}
          </Typography.Text>
        )}
      </Space>
      {e.note && <div>{e.note}</div>}
    </div>
  );
}

/** One application: applicant (masked), item, materials, trail, due date; the allowed actions. */
export default function ApplicationDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const qc = useQueryClient();
  const [action, setAction] = useState<ApplicationAction | null>(null);
  const detail = useQuery({
    queryKey: ['application', id],
    queryFn: () => call('GET /api/applications/:id', { params: { id } }),
  });
  const a = detail.data;
  // The form's labels from the catalogue; a key the current version no longer has shows as is.
  const services = useServiceItems();
  const item = services.data?.items.find((s) => s.code === a?.serviceCode);
  const labels = new Map(item?.formFields.map((f) => [f.key, f.label]) ?? []);
  // The trail's order is the server's: actions in the state machine's order for the buttons.
  const actions = applicationActions.filter((x) => a?.allowedActions.includes(x));
  return (
    <QueryState loading={detail.isLoading} error={detail.error} onRetry={() => detail.refetch()}>
      {a && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="application-detail">
          <Card
            title={
              <Space wrap>
                <span data-testid="application-code">{a.code}</span>
                <ApplicationStateTag state={a.status} />
                <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
                  {a.serviceName}
                </Typography.Text>
              </Space>
            }
            extra={
              <Space wrap>
                {a.acceptedAt && (
                  <Button
                    href={href('GET /api/applications/:id/receipt.pdf', { params: { id: a.id } })}
                    target="_blank"
                  >
                    {t('services.detail.receipt')}
                  </Button>
                )}
                {item?.issuesCertificate && (a.status === 'issued' || a.status === 'collected') && (
                  <Button
                    type="primary"
                    href={href('GET /api/applications/:id/certificate.pdf', { params: { id: a.id } })}
                    target="_blank"
                    data-testid="application-certificate"
                  >
                    {t('services.detail.certificate')}
                  </Button>
                )}
                {a.status === 'incomplete' && (
                  <Button
                    href={href('GET /api/applications/:id/notice.pdf', { params: { id: a.id } })}
                    target="_blank"
                  >
                    {t('services.detail.notice')}
                  </Button>
                )}
              </Space>
            }
          >
            <Descriptions size="small" bordered column={{ xs: 1, md: 2, xl: 3 }}>
              <Descriptions.Item label={t('services.detail.applicant')}>{a.applicantName}</Descriptions.Item>
              <Descriptions.Item label={t('services.detail.idNumber')}>
                {a.applicantIdNumber}
              </Descriptions.Item>
              <Descriptions.Item label={t('services.detail.phone')}>
                {a.applicantPhone ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('services.detail.service')}>
                {a.serviceName}{' '}
                <Typography.Text type="secondary">
                  {a.serviceCode} · {t('services.detail.version', { version: a.serviceVersion })}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('services.detail.channel')}>
                {t(`services.channels.${a.channel}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t('services.detail.acceptedAt')}>
                {fmt(a.acceptedAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('services.detail.dueDate')}>
                <Space wrap size={4}>
                  <DueTags a={a} />
                  {a.workingDaysLeft !== null && (
                    <Typography.Text
                      type={a.overdue ? 'danger' : a.warning ? 'warning' : 'secondary'}
                      data-testid="application-days-left"
                    >
                      {a.workingDaysLeft >= 0
                        ? t('services.detail.daysLeft', { days: a.workingDaysLeft })
                        : t('services.detail.daysOver', { days: -a.workingDaysLeft })}
                    </Typography.Text>
                  )}
                  {a.pausedMinutes > 0 && (
                    <Typography.Text type="secondary">
                      {t('services.detail.paused', { minutes: a.pausedMinutes })}
                    </Typography.Text>
                  )}
                </Space>
              </Descriptions.Item>
              {a.result && (
                <Descriptions.Item label={t('services.detail.result')} span={2}>
                  {a.result}
                </Descriptions.Item>
              )}
            </Descriptions>
            <Space wrap style={{ marginTop: 16 }} data-testid="application-actions">
              {actions.length === 0 ? (
                <Typography.Text type="secondary">{t('services.detail.noActions')}</Typography.Text>
              ) : (
                actions.map((x) => (
                  <Button
                    key={x}
                    type={primaryActions.includes(x) ? 'primary' : 'default'}
                    danger={dangerActions.includes(x)}
                    onClick={() => setAction(x)}
                    data-testid={`application-action-${x}`}
                  >
                    {t(`services.actions.${x}`)}
                  </Button>
                ))
              )}
            </Space>
          </Card>
          <Row gutter={16}>
            <Col xs={24} lg={12}>
              <Card size="small" title={t('services.detail.materials')} style={{ marginBottom: 16 }}>
                {a.missing.length > 0 && (
                  <div style={{ marginBottom: 12 }} data-testid="application-missing-list">
                    <Typography.Text type="warning">{t('services.detail.missing')}</Typography.Text>
                    {a.missing.map((m) => (
                      <Tag key={m} color="orange">
                        {m}
                      </Tag>
                    ))}
                  </div>
                )}
                <List
                  size="small"
                  dataSource={a.materials}
                  locale={{ emptyText: t('common.empty') }}
                  renderItem={(m) => (
                    <List.Item>
                      <Space wrap size={4}>
                        <span>{m.name}</span>
                        {m.required && <Tag color="red">{t('services.intake.required')}</Tag>}
                      </Space>
                      <Space size={4}>
                        {m.fileId && (
                          <Typography.Link
                            href={href('GET /api/material-files/:id', { params: { id: m.fileId } })}
                            target="_blank"
                            data-testid="application-material-file"
                          >
                            {t('serviceDesk.upload.view')}
                          </Typography.Link>
                        )}
                        {m.promisedDate && !m.provided && (
                          <Typography.Text type="secondary">
                            {t('services.detail.promisedBy', { date: m.promisedDate })}
                          </Typography.Text>
                        )}
                        <Tag color={m.provided ? 'green' : 'default'}>
                          {t(m.provided ? 'services.detail.provided' : 'services.detail.notProvided')}
                        </Tag>
                      </Space>
                    </List.Item>
                  )}
                />
              </Card>
              {Object.keys(a.form).length > 0 && (
                <Card size="small" title={t('services.detail.form')}>
                  <Descriptions size="small" column={1}>
                    {Object.entries(a.form).map(([k, v]) => (
                      <Descriptions.Item key={k} label={labels.get(k) ?? k}>
                        {String(v)}
                      </Descriptions.Item>
                    ))}
                  </Descriptions>
                </Card>
              )}
            </Col>
            <Col xs={24} lg={12}>
              <RatingCard a={a} />
              <Card size="small" title={t('services.detail.trail')}>
                {a.events.length === 0 ? (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('services.detail.noEvents')} />
                ) : (
                  <Timeline
                    items={a.events.map((e) => ({
                      color: e.toState === 'rejected' || e.toState === 'withdrawn' ? 'red' : 'blue',
                      content: <EventItem e={e} />,
                    }))}
                  />
                )}
              </Card>
            </Col>
          </Row>
          <ApplicationActionModal
            app={a}
            action={action}
            onClose={() => setAction(null)}
            onDone={(next) => {
              setAction(null);
              qc.setQueryData(['application', id], next);
              void qc.invalidateQueries({ queryKey: ['applications'] });
            }}
          />
        </Space>
      )}
    </QueryState>
  );
}
