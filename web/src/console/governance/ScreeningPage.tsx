import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, Empty, Form, Input, Modal, Row, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';
import { fmt } from '../cases/shared.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

interface Values {
  disputeIds?: string[];
  note?: string;
}

/** The weekly report of one grid: the disputes registered in it, or none (零报告). */
function ReportModal(props: { grid: { gridId: number; gridName: string } | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const disputes = useQuery({
    queryKey: ['disputes', 'for-screening'],
    queryFn: () => call('GET /api/disputes', { query: { page: 1, pageSize: 200 } }),
    enabled: props.grid !== null,
  });
  const { send: save, busy: saving } = useFormSubmit(
    form,
    (v: Values) =>
      call('POST /api/dispute-screenings', {
        body: { gridId: props.grid?.gridId as number, disputeIds: v.disputeIds ?? [], note: v.note },
      }),
    {
      success: t('disputes.screening.saved'),
      onDone: () => {
        void qc.invalidateQueries({ queryKey: ['dispute-screenings'] });
        props.onClose();
      },
    },
  );
  const own = (disputes.data?.items ?? []).filter((d) => d.gridId === props.grid?.gridId);
  return (
    <Modal
      open={props.grid !== null}
      title={`${t('disputes.screening.report')} · ${props.grid?.gridName ?? ''}`}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: saving }}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" preserve={false} onFinish={save}>
        <Form.Item
          name="disputeIds"
          label={t('disputes.screening.disputes')}
          extra={t('disputes.screening.zero')}
        >
          <Select
            mode="multiple"
            allowClear
            loading={disputes.isLoading}
            options={own.map((d) => ({ value: d.id, label: `${d.code} ${t(`disputes.types.${d.type}`)}` }))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('disputes.modal.note')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 纠纷排查: this week's reports of the area's grids, and the grids that have not reported. */
export default function ScreeningPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [grid, setGrid] = useState<{ gridId: number; gridName: string } | null>(null);
  const status = useQuery({
    queryKey: ['dispute-screenings'],
    queryFn: () => call('GET /api/dispute-screenings'),
  });
  const s = status.data;
  return (
    <QueryState loading={status.isLoading} error={status.error} onRetry={() => status.refetch()}>
      {s && (
        <Row gutter={16} data-testid="screening-page">
          <Col xs={24} lg={12}>
            <Card
              title={`${t('disputes.screening.missing')} · ${t('disputes.screening.week', s.week)}`}
              size="small"
              extra={<Tag color={s.missing.length ? 'red' : 'green'}>{s.missing.length}</Tag>}
            >
              {s.missing.length === 0 ? (
                <Empty description={t('disputes.screening.noneMissing')} />
              ) : (
                <Table
                  size="small"
                  rowKey="gridId"
                  dataSource={s.missing}
                  pagination={{ pageSize: 20, hideOnSinglePage: true }}
                  data-testid="screening-missing"
                  columns={[
                    { title: t('disputes.screening.grid'), dataIndex: 'gridName' },
                    { title: t('disputes.screening.community'), dataIndex: 'communityName' },
                    {
                      title: '',
                      key: 'report',
                      width: 100,
                      render: (_, g) =>
                        can('dispute:register') && (
                          <Button size="small" onClick={() => setGrid(g)}>
                            {t('disputes.screening.report')}
                          </Button>
                        ),
                    },
                  ]}
                />
              )}
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card title={t('disputes.screening.reported')} size="small">
              <Table
                size="small"
                rowKey="id"
                dataSource={s.reported}
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                columns={[
                  { title: t('disputes.screening.grid'), dataIndex: 'gridName' },
                  {
                    title: t('disputes.screening.count'),
                    key: 'count',
                    render: (_, r) =>
                      r.zero ? (
                        <Tag>{t('disputes.screening.zero')}</Tag>
                      ) : (
                        <Tag color="orange">{r.disputeCount}</Tag>
                      ),
                  },
                  { title: '', dataIndex: 'reportedAt', render: (v: string) => fmt(v) },
                ]}
              />
            </Card>
          </Col>
          <ReportModal grid={grid} onClose={() => setGrid(null)} />
        </Row>
      )}
    </QueryState>
  );
}
