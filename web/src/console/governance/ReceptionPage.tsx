import type { Reception, ReceptionRoute } from '@civicgrid/core/api/disputes';
import { receptionRoutes } from '@civicgrid/core/api/disputes';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Form, Input, Row, Select, Space, Statistic, Table, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { errorMessage } from '../../common/api.js';
import { type Body, call } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';
import { fmt } from '../cases/shared.js';
import { useFormSubmit } from '../common/useFormSubmit.js';
import { ReceptionHandOff } from './ReceptionHandOff.js';

type ReceptionBody = Body<'POST /api/receptions'>;
interface Values {
  name: string;
  idNumber?: string;
  phone?: string;
  matter: string;
  route: ReceptionRoute;
  answer?: string;
}
/** Routes answered at the desk: the answer is asked for with the visit. */
const answered: readonly ReceptionRoute[] = ['legalConsultation', 'legalAid', 'answered'];

function VisitForm({ onSaved }: { onSaved: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [key, setKey] = useState(() => crypto.randomUUID());
  const route = Form.useWatch('route', form);
  const { send: save, busy: saving } = useFormSubmit(
    form,
    (v: Values) => {
      const body: ReceptionBody = {
        visitor: {
          name: v.name,
          ...(v.idNumber?.trim() ? { idNumber: v.idNumber.trim() } : {}),
          ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}),
        },
        matter: v.matter,
        route: v.route,
        ...(v.answer?.trim() ? { answer: v.answer.trim() } : {}),
        idempotencyKey: key,
      };
      return call('POST /api/receptions', { body });
    },
    {
      success: (r) => t('disputes.reception.saved', { number: r.number }),
      onDone: () => {
        form.resetFields();
        setKey(crypto.randomUUID());
        onSaved();
      },
    },
  );
  return (
    <Card title={t('disputes.reception.register')} size="small">
      <Form<Values> form={form} layout="vertical" onFinish={save} data-testid="reception-form">
        <Form.Item name="name" label={t('disputes.reception.visitor')} rules={[{ required: true }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Space.Compact block>
          <Form.Item name="idNumber" label={t('disputes.reception.idNumber')} style={{ flex: 1 }}>
            <Input maxLength={18} autoComplete="off" />
          </Form.Item>
          <Form.Item name="phone" label={t('disputes.reception.phone')} style={{ flex: 1 }}>
            <Input maxLength={11} autoComplete="off" />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="matter" label={t('disputes.reception.matter')} rules={[{ required: true, min: 2 }]}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
        <Form.Item name="route" label={t('disputes.reception.route')} rules={[{ required: true }]}>
          <Select options={receptionRoutes.map((r) => ({ value: r, label: t(`disputes.routes.${r}`) }))} />
        </Form.Item>
        {route && answered.includes(route) && (
          <Form.Item name="answer" label={t('disputes.reception.answer')} rules={[{ required: true }]}>
            <Input.TextArea rows={3} maxLength={4000} />
          </Form.Item>
        )}
        <Button type="primary" htmlType="submit" loading={saving}>
          {t('disputes.reception.submit')}
        </Button>
      </Form>
    </Card>
  );
}

/** 群众接待: the visitor register, today's queue (waiting first) and the day's summary. */
export default function ReceptionPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const queue = useQuery({
    queryKey: ['receptions'],
    queryFn: () => call('GET /api/receptions', { query: { page: 1, pageSize: 200 } }),
  });
  const summary = useQuery({
    queryKey: ['receptions', 'summary'],
    queryFn: () => call('GET /api/receptions/summary'),
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['receptions'] });
  const finish = useMutation({
    mutationFn: (id: string) => call('POST /api/receptions/:id/finish', { params: { id }, body: {} }),
    onSuccess: refresh,
    onError: (e) => message.error(errorMessage(e)),
  });
  const [handOff, setHandOff] = useState<{ visit: Reception; to: 'grievance' | 'case' } | null>(null);
  const next = (r: Reception) =>
    r.route === 'grievance' || r.route === 'case' ? (
      <Button
        size="small"
        type="link"
        data-testid={`handoff-${r.number}`}
        onClick={() => setHandOff({ visit: r, to: r.route as 'grievance' | 'case' })}
      >
        {t(r.route === 'grievance' ? 'disputes.reception.toGrievance' : 'disputes.reception.toCase')}
      </Button>
    ) : r.route === 'dispute' && !r.disputeId ? (
      <Button
        size="small"
        type="link"
        onClick={() =>
          navigate(
            `/governance/disputes/new?${new URLSearchParams({ receptionId: r.id, name: r.visitorName, matter: r.matter })}`,
          )
        }
      >
        {t('disputes.reception.toDispute')}
      </Button>
    ) : (
      <Button size="small" type="link" loading={finish.isPending} onClick={() => finish.mutate(r.id)}>
        {t('disputes.reception.finish')}
      </Button>
    );
  const items = useMemo(() => queue.data?.items ?? [], [queue.data]);
  return (
    <Row gutter={16} data-testid="reception-page">
      {handOff && (
        <ReceptionHandOff
          visit={handOff.visit}
          to={handOff.to}
          onClose={() => setHandOff(null)}
          onDone={() => {
            setHandOff(null);
            refresh();
          }}
        />
      )}
      <Col xs={24} lg={8}>
        <VisitForm onSaved={refresh} />
      </Col>
      <Col xs={24} lg={16}>
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card title={t('disputes.reception.summary')} size="small">
            <QueryState loading={summary.isLoading} error={summary.error}>
              <Space size={32} wrap>
                <Statistic title={t('disputes.reception.total')} value={summary.data?.total ?? 0} />
                <Statistic title={t('disputes.reception.waitingCount')} value={summary.data?.waiting ?? 0} />
                {receptionRoutes.map((r) => (
                  <Statistic
                    key={r}
                    title={t(`disputes.routes.${r}`)}
                    value={summary.data?.byRoute[r] ?? 0}
                  />
                ))}
              </Space>
            </QueryState>
          </Card>
          <Card title={t('disputes.reception.queue')} size="small">
            <QueryState loading={queue.isLoading} error={queue.error} onRetry={() => queue.refetch()}>
              <Table<Reception>
                size="small"
                rowKey="id"
                dataSource={items}
                pagination={false}
                locale={{ emptyText: t('disputes.reception.empty') }}
                data-testid="reception-queue"
                columns={[
                  { title: t('disputes.reception.number'), dataIndex: 'number', width: 60 },
                  {
                    title: t('disputes.reception.visitor'),
                    key: 'visitor',
                    render: (_, r) => (
                      <Space size={4} wrap>
                        {r.visitorName}
                        {r.phone}
                        {r.residentId && <Tag color="blue">{t('disputes.reception.resident')}</Tag>}
                      </Space>
                    ),
                  },
                  { title: t('disputes.reception.matter'), dataIndex: 'matter', ellipsis: true },
                  {
                    title: t('disputes.reception.route'),
                    dataIndex: 'route',
                    width: 120,
                    render: (r: ReceptionRoute) => t(`disputes.routes.${r}`),
                  },
                  { title: '', dataIndex: 'visitedAt', width: 140, render: (v: string) => fmt(v) },
                  {
                    title: t('disputes.reception.status'),
                    key: 'status',
                    width: 150,
                    render: (_, r) =>
                      r.status === 'done' ? (
                        <Tag color="green">{t('disputes.reception.done')}</Tag>
                      ) : (
                        <Space size={0}>
                          <Tag color="orange">{t('disputes.reception.waiting')}</Tag>
                          {next(r)}
                        </Space>
                      ),
                  },
                ]}
              />
            </QueryState>
          </Card>
        </Space>
      </Col>
    </Row>
  );
}
