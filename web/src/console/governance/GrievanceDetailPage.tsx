import {
  type GrievanceAction,
  grievanceActions,
  satisfactionLevels,
} from '@civicgrid/core/grievances/stateMachine';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { type Body, call, href } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';
import { fmt } from '../cases/shared.js';
import { useFormSubmit } from '../common/useFormSubmit.js';
import { DeadlineTag, GrievanceStateTag } from './grievanceShared.js';

type ActionBody = Body<'POST /api/grievances/:id/actions/:action'>;
interface Values {
  note?: string;
  reason?: string;
  days?: number;
  noticeBy?: 'letter' | 'phone' | 'visit' | 'online';
  opinion?: string;
  upheld?: boolean;
  requestedOn?: Dayjs;
  satisfaction?: (typeof satisfactionLevels)[number];
  departmentId?: number;
}

/** The body of each action, from the modal's fields: only what core's schema of that action takes. */
function bodyOf(a: GrievanceAction, v: Values): ActionBody {
  switch (a) {
    case 'accept':
      return {
        ...(v.departmentId ? { departmentId: v.departmentId } : {}),
        ...(v.note ? { note: v.note } : {}),
      };
    case 'decline':
      return { reason: v.reason ?? '' };
    case 'extend':
      return { reason: v.reason ?? '', days: v.days ?? 0, noticeBy: v.noticeBy ?? 'letter' };
    case 'answer':
      return { opinion: v.opinion ?? '' };
    case 'requestReview':
      return {
        reason: v.reason ?? '',
        ...(v.requestedOn ? { requestedOn: v.requestedOn.format('YYYY-MM-DD') } : {}),
      };
    case 'review':
      return { opinion: v.opinion ?? '', upheld: v.upheld ?? false };
    case 'close':
      return { satisfaction: v.satisfaction ?? 'satisfied', ...(v.note ? { note: v.note } : {}) };
  }
}

function ActionModal({
  id,
  action,
  onClose,
}: {
  id: string;
  action: GrievanceAction | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const departments = useQuery({
    queryKey: ['departments'],
    queryFn: () => call('GET /api/departments'),
    enabled: action === 'accept',
  });
  const f = (k: keyof Values) => t(`gov.grievances.fields.${k}`);
  const { send, busy } = useFormSubmit(
    form,
    ({ action, v }: { action: GrievanceAction; v: Values }) =>
      call('POST /api/grievances/:id/actions/:action', {
        params: { id, action },
        body: bodyOf(action, v),
      }),
    {
      onDone: async () => {
        await qc.invalidateQueries({ queryKey: ['grievance', id] });
        await qc.invalidateQueries({ queryKey: ['grievances'] });
        form.resetFields();
        onClose();
      },
    },
  );
  const submit = (v: Values) => {
    if (action) void send({ action, v });
  };
  const text = (name: keyof Values, required = true) => (
    <Form.Item name={name} label={f(name)} rules={required ? [{ required: true, min: 2 }] : []}>
      <Input.TextArea rows={3} maxLength={2000} />
    </Form.Item>
  );
  const deptItems = (departments.data as { items?: { id: number; name: string }[] } | undefined)?.items ?? [];
  return (
    <Modal
      open={action !== null}
      title={action ? t(`gov.grievanceActions.${action}`) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('gov.common.submit')}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={submit} data-testid="grievance-action-form">
        {action === 'accept' && (
          <>
            <Form.Item name="departmentId" label={f('departmentId')}>
              <Select allowClear options={deptItems.map((d) => ({ value: d.id, label: d.name }))} />
            </Form.Item>
            {text('note', false)}
          </>
        )}
        {action === 'decline' && text('reason')}
        {action === 'extend' && (
          <>
            <Form.Item name="days" label={f('days')} rules={[{ required: true }]}>
              <InputNumber min={1} max={30} />
            </Form.Item>
            <Form.Item name="noticeBy" label={f('noticeBy')} initialValue="letter">
              <Select
                options={(['letter', 'phone', 'visit', 'online'] as const).map((c) => ({
                  value: c,
                  label: t(`gov.channels.${c}`),
                }))}
              />
            </Form.Item>
            {text('reason')}
          </>
        )}
        {(action === 'answer' || action === 'review') && text('opinion')}
        {action === 'review' && (
          <Form.Item name="upheld" valuePropName="checked" initialValue={true}>
            <Checkbox>{f('upheld')}</Checkbox>
          </Form.Item>
        )}
        {action === 'requestReview' && (
          <>
            <Form.Item name="requestedOn" label={f('requestedOn')}>
              <DatePicker />
            </Form.Item>
            {text('reason')}
          </>
        )}
        {action === 'close' && (
          <>
            <Form.Item name="satisfaction" label={f('satisfaction')} rules={[{ required: true }]}>
              <Select
                options={satisfactionLevels.map((s) => ({ value: s, label: t(`gov.satisfactions.${s}`) }))}
              />
            </Form.Item>
            {text('note', false)}
          </>
        )}
      </Form>
    </Modal>
  );
}

/** One grievance: the four statutory steps with their days, the answer, the trail, the allowed actions. */
export default function GrievanceDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [action, setAction] = useState<GrievanceAction | null>(null);
  const detail = useQuery({
    queryKey: ['grievance', id],
    queryFn: () => call('GET /api/grievances/:id', { params: { id } }),
  });
  const g = detail.data;
  const steps = ['acknowledge', 'answer', 'reviewRequest', 'reviewAnswer'] as const;
  return (
    <QueryState loading={detail.isLoading} error={detail.error} onRetry={() => detail.refetch()}>
      {g && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="grievance-detail">
          <Card
            title={
              <Space wrap>
                <span data-testid="grievance-code">{g.code}</span>
                <GrievanceStateTag state={g.status} />
                <DeadlineTag d={g.deadline} />
              </Space>
            }
            extra={
              <Space wrap data-testid="grievance-actions">
                {grievanceActions
                  .filter((a) => g.allowedActions.includes(a))
                  .map((a) => (
                    <Button
                      key={a}
                      type={a === 'decline' ? 'default' : 'primary'}
                      onClick={() => setAction(a)}
                      data-testid={`action-${a}`}
                    >
                      {t(`gov.grievanceActions.${a}`)}
                    </Button>
                  ))}
                {g.opinion && (
                  <Button
                    href={href('GET /api/grievances/:id/answer.pdf', { params: { id } })}
                    target="_blank"
                  >
                    {t('gov.grievances.answerPdf')}
                  </Button>
                )}
              </Space>
            }
          >
            <Descriptions column={{ xs: 1, md: 3 }} size="small">
              <Descriptions.Item label={t('gov.grievances.subject')}>{g.subject}</Descriptions.Item>
              <Descriptions.Item label={t('gov.grievances.channel')}>
                {t(`gov.channels.${g.channel}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t('gov.grievances.receivedOn')}>{g.receivedOn}</Descriptions.Item>
              <Descriptions.Item label={t('gov.grievances.person')}>{g.personName}</Descriptions.Item>
              <Descriptions.Item label={t('gov.grievances.idNumber')}>
                {g.personIdNumber ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('gov.grievances.phone')}>{g.personPhone ?? '—'}</Descriptions.Item>
            </Descriptions>
            <Typography.Paragraph style={{ marginTop: 12 }}>{g.content}</Typography.Paragraph>
            <Descriptions column={1} size="small" bordered data-testid="grievance-steps">
              {steps.map((s) => {
                const st = g.steps[s];
                return (
                  <Descriptions.Item key={s} label={t(`gov.grievances.steps.${s}`)}>
                    <Space wrap size={8}>
                      <span>
                        {t('gov.grievances.due')} {st.due ?? '—'}
                      </span>
                      {st.doneOn && (
                        <span>
                          {t('gov.grievances.doneOn')} {st.doneOn}
                        </span>
                      )}
                      {st.late && <Tag color="red">{t('gov.grievances.late')}</Tag>}
                    </Space>
                  </Descriptions.Item>
                );
              })}
            </Descriptions>
            {g.extension && (
              <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                {t('gov.grievances.extension', { days: g.extension.days, reason: g.extension.reason })}
              </Typography.Paragraph>
            )}
            {g.opinion && (
              <>
                <Typography.Title level={5}>{t('gov.grievances.opinion')}</Typography.Title>
                <Typography.Paragraph>{g.opinion}</Typography.Paragraph>
              </>
            )}
            {g.reviewOpinion && (
              <>
                <Typography.Title level={5}>{t('gov.grievances.reviewOpinion')}</Typography.Title>
                <Typography.Paragraph>{g.reviewOpinion}</Typography.Paragraph>
              </>
            )}
            {g.satisfaction && (
              <Typography.Paragraph>
                {t('gov.grievances.satisfaction')}：{t(`gov.satisfactions.${g.satisfaction}`)}
              </Typography.Paragraph>
            )}
          </Card>
          <Card title={t('gov.grievances.trail')} size="small">
            <Timeline
              items={g.events.map((e) => ({
                content: (
                  <div data-testid="grievance-event">
                    <Space wrap size={6}>
                      <Typography.Text strong>
                        {t(`gov.grievanceActions.${e.action}`, { defaultValue: e.action })}
                      </Typography.Text>
                      <Typography.Text type="secondary">{e.actorName}</Typography.Text>
                      <Typography.Text type="secondary">{fmt(e.at)}</Typography.Text>
                    </Space>
                    {e.note && <div>{e.note}</div>}
                  </div>
                ),
              }))}
            />
          </Card>
          <ActionModal id={id} action={action} onClose={() => setAction(null)} />
        </Space>
      )}
    </QueryState>
  );
}
