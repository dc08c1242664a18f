import { type CareCase, careVisitInput, riskLevels } from '@civicgrid/core/api/care';
import type { Resident } from '@civicgrid/core/api/residents';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Image,
  Input,
  List,
  Modal,
  Select,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { errorMessage, get } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { type Body, call } from '../../common/client.js';
import { ListPage } from '../../common/list/ListPage.js';
import { usePagedList } from '../../common/list/usePagedList.js';
import { QueryState } from '../../common/QueryState.js';
import { zodRule } from '../../common/zodRule.js';
import { PhotoUpload } from '../cases/PhotoUpload.js';
import { fmt } from '../cases/shared.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

const riskColors = { high: 'red', medium: 'orange', low: 'green' } as const;

export function useCareCategories() {
  return useQuery({
    queryKey: ['care-categories'],
    queryFn: () => call('GET /api/care/categories'),
    staleTime: 60_000,
  });
}

/** Risk level options, in the user's language. */
function useRiskOptions() {
  const { t } = useTranslation();
  return riskLevels.map((r) => ({ value: r, label: t(`care.riskLevels.${r}`) }));
}

function RiskTag({ risk }: { risk: CareCase['riskLevel'] }) {
  const { t } = useTranslation();
  return <Tag color={riskColors[risk]}>{t('care.riskTag', { level: t(`care.riskLevels.${risk}`) })}</Tag>;
}

function DueText({ c }: { c: CareCase }) {
  const { t } = useTranslation();
  if (c.status === 'closed') return <Tag>{t('care.closedTag')}</Tag>;
  return c.overdue ? (
    <Typography.Text type="danger">
      {t('care.overdueDays', { days: dayjs().diff(dayjs(c.nextVisitDue), 'day') })}
    </Typography.Text>
  ) : (
    <span>{fmt(c.nextVisitDue).slice(0, 10)}</span>
  );
}

function CaseDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const riskOptions = useRiskOptions();
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const detail = useQuery({
    queryKey: ['care-case', id],
    queryFn: () => call('GET /api/care/cases/:id', { params: { id: id as string } }),
    enabled: id !== null,
  });
  const c = detail.data;
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['care-case', id] });
    void qc.invalidateQueries({ queryKey: ['care-cases'] });
    void qc.invalidateQueries({ queryKey: ['care-todo'] });
  };
  const { send: recordVisit } = useFormSubmit(
    form,
    (v: { visitedAt: dayjs.Dayjs; place: string; notes: string; photoIds?: string[] }) =>
      call('POST /api/care/cases/:id/visits', {
        params: { id: id as string },
        body: {
          visitedAt: v.visitedAt.toISOString(),
          place: v.place,
          notes: v.notes,
          photoIds: v.photoIds ?? [],
        },
      }),
    {
      success: t('care.drawer.visitSaved'),
      onDone: () => {
        form.resetFields();
        refresh();
      },
    },
  );
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      width={600}
      title={c ? `${c.residentName} · ${c.categoryName}` : t('care.drawer.title')}
      extra={
        c?.status === 'open' &&
        can('care:write') && (
          <Button
            danger
            onClick={() => {
              let reason = '';
              modal.confirm({
                title: t('care.drawer.close'),
                content: (
                  <Input.TextArea
                    rows={3}
                    placeholder={t('care.drawer.closeReasonPlaceholder')}
                    onChange={(e) => {
                      reason = e.target.value;
                    }}
                  />
                ),
                okText: t('care.drawer.confirmClose'),
                onOk: async () => {
                  try {
                    await call('POST /api/care/cases/:id/close', {
                      params: { id: id as string },
                      body: { reason },
                    });
                    message.success(t('care.drawer.closed'));
                    refresh();
                  } catch (e) {
                    message.error(errorMessage(e));
                    throw e;
                  }
                },
              });
            }}
          >
            {t('care.drawer.close')}
          </Button>
        )
      }
    >
      <QueryState loading={detail.isLoading} error={detail.error} onRetry={() => detail.refetch()}>
        {c && (
          <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="care-drawer">
            <Alert type="info" showIcon title={t('care.drawer.alert')} />
            <Descriptions size="small" column={2} bordered>
              <Descriptions.Item label={t('care.drawer.category')}>{c.categoryName}</Descriptions.Item>
              <Descriptions.Item label={t('care.drawer.riskLevel')}>
                {c.status === 'open' && can('care:write') ? (
                  <Select
                    size="small"
                    value={c.riskLevel}
                    style={{ width: 90 }}
                    options={riskOptions}
                    onChange={async (v) => {
                      try {
                        await call('PATCH /api/care/cases/:id', {
                          params: { id: id as string },
                          body: { riskLevel: v },
                        });
                        refresh();
                      } catch (e) {
                        message.error(errorMessage(e));
                      }
                    }}
                  />
                ) : (
                  <RiskTag risk={c.riskLevel} />
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('care.drawer.grid')}>{c.gridName}</Descriptions.Item>
              <Descriptions.Item label={t('care.drawer.workers')}>
                {c.workers.map((w) => w.name).join('、')}
              </Descriptions.Item>
              <Descriptions.Item label={t('care.drawer.openedAt')}>{fmt(c.openedAt)}</Descriptions.Item>
              <Descriptions.Item label={t('care.drawer.nextVisit')}>
                <DueText c={c} />
              </Descriptions.Item>
              <Descriptions.Item label={t('care.drawer.plan')} span={2}>
                {c.plan ?? '—'}
              </Descriptions.Item>
              {c.status === 'closed' && (
                <Descriptions.Item label={t('care.drawer.closedAt')} span={2}>
                  {fmt(c.closedAt)} {c.closeReason ?? ''}
                </Descriptions.Item>
              )}
            </Descriptions>
            {c.status === 'open' && can('care:write') && (
              <Card size="small" title={t('care.drawer.recordVisit')}>
                <Form
                  form={form}
                  layout="vertical"
                  initialValues={{ visitedAt: dayjs(), place: t('care.drawer.defaultPlace') }}
                  onFinish={recordVisit}
                >
                  <Space>
                    <Form.Item
                      name="visitedAt"
                      label={t('care.drawer.time')}
                      rules={[{ required: true, message: t('care.drawer.timeRequired') }]}
                    >
                      <DatePicker showTime disabledDate={(d) => d.isAfter(dayjs())} />
                    </Form.Item>
                    <Form.Item
                      name="place"
                      label={t('care.drawer.place')}
                      rules={[
                        { required: true, message: t('care.drawer.placeRequired') },
                        zodRule(careVisitInput.shape.place, t('care.drawer.placeRequired')),
                      ]}
                    >
                      <Input maxLength={100} />
                    </Form.Item>
                  </Space>
                  <Form.Item
                    name="notes"
                    label={t('care.drawer.notes')}
                    rules={[
                      { required: true, message: t('care.drawer.notesRequired') },
                      zodRule(careVisitInput.shape.notes, t('care.drawer.notesRequired')),
                    ]}
                  >
                    <Input.TextArea rows={3} maxLength={4000} data-testid="care-visit-notes" />
                  </Form.Item>
                  <Form.Item name="photoIds" label={t('care.drawer.photos')}>
                    <PhotoUpload max={9} />
                  </Form.Item>
                  <Button type="primary" htmlType="submit" data-testid="care-visit-save">
                    {t('common.save')}
                  </Button>
                </Form>
              </Card>
            )}
            <Card size="small" title={t('care.drawer.visits', { count: c.visits.length })}>
              {c.visits.length === 0 ? (
                <Empty description={t('care.drawer.noVisits')} />
              ) : (
                <Timeline
                  items={c.visits.map((v) => ({
                    children: (
                      <div>
                        <Typography.Text strong>{fmt(v.visitedAt)}</Typography.Text> {v.place}
                        {t('care.drawer.by', { name: v.by })}
                        <div>{v.notes}</div>
                        {v.photoIds.length > 0 && (
                          <Image.PreviewGroup>
                            <Space wrap style={{ marginTop: 4 }}>
                              {v.photoIds.map((p) => (
                                <Image
                                  key={p}
                                  width={64}
                                  height={64}
                                  style={{ objectFit: 'cover' }}
                                  src={`/api/files/${p}/thumb`}
                                  preview={{ src: `/api/files/${p}` }}
                                />
                              ))}
                            </Space>
                          </Image.PreviewGroup>
                        )}
                      </div>
                    ),
                  }))}
                />
              )}
            </Card>
          </Space>
        )}
      </QueryState>
    </Drawer>
  );
}

function OpenCaseModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const riskOptions = useRiskOptions();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const categories = useCareCategories();
  const { send: openCase } = useFormSubmit(
    form,
    (body: Body<'POST /api/care/cases'>) => call('POST /api/care/cases', { body }),
    {
      success: t('care.open.saved'),
      onDone: () => {
        onClose();
        void qc.invalidateQueries({ queryKey: ['care-cases'] });
      },
    },
  );
  const [term, setTerm] = useState('');
  const [person, setPerson] = useState<Resident | null>(null);
  const people = useQuery({
    queryKey: ['care-resident-search', term],
    queryFn: () => {
      const s = term.trim();
      const key = /^\d{17}[\dXx]$/.test(s) ? 'idNumber' : 'q';
      return get<{ items: Resident[] }>(`/api/residents?${key}=${encodeURIComponent(s)}&pageSize=20`);
    },
    enabled: term.trim().length > 0,
  });
  const workers = useQuery({
    queryKey: ['care-workers', person?.gridId],
    queryFn: () => call('GET /api/care/workers', { query: { gridId: person?.gridId as number } }),
    enabled: !!person,
  });
  return (
    <Modal
      open={open}
      title={t('care.open.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false} onFinish={openCase}>
        <Form.Item
          name="residentId"
          label={t('care.open.resident')}
          rules={[{ required: true, message: t('care.open.residentRequired') }]}
        >
          <Select
            showSearch
            filterOption={false}
            placeholder={t('care.open.residentPlaceholder')}
            onSearch={setTerm}
            loading={people.isFetching}
            notFoundContent={term ? t('care.open.notFound') : t('care.open.typeToSearch')}
            options={(people.data?.items ?? []).map((r) => ({
              value: r.id,
              label: `${r.name}  ${r.idNumber}  ${r.gridName}`,
            }))}
            onChange={(id) => {
              setPerson(people.data?.items.find((r) => r.id === id) ?? null);
              form.setFieldValue('workerIds', []);
            }}
          />
        </Form.Item>
        <Space style={{ width: '100%' }} styles={{ item: { flex: 1 } }}>
          <Form.Item
            name="categoryCode"
            label={t('care.open.category')}
            rules={[{ required: true, message: t('care.open.categoryRequired') }]}
          >
            <Select
              options={(categories.data?.items ?? [])
                .filter((c) => c.active)
                .map((c) => ({ value: c.code, label: c.name }))}
            />
          </Form.Item>
          <Form.Item name="riskLevel" label={t('care.open.riskLevel')} initialValue="medium">
            <Select options={riskOptions} />
          </Form.Item>
        </Space>
        <Form.Item
          name="workerIds"
          label={t('care.open.workers')}
          rules={[{ required: true, message: t('care.open.workersRequired') }]}
        >
          <Select
            mode="multiple"
            disabled={!person}
            placeholder={person ? t('care.open.workersPlaceholder') : t('care.open.residentFirst')}
            options={(workers.data?.items ?? []).map((w) => ({ value: w.id, label: w.name }))}
          />
        </Form.Item>
        <Form.Item name="plan" label={t('care.open.plan')}>
          <Input.TextArea rows={3} maxLength={2000} placeholder={t('care.open.planPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 关爱帮扶: the worker's due visits, the cases they may see, and each case's file. */
export default function CarePage() {
  const { t } = useTranslation();
  const riskOptions = useRiskOptions();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const [opening, setOpening] = useState(false);
  const categories = useCareCategories();
  const openId = params.get('case');
  const show = (id: string | null) =>
    setParams((p) => {
      if (id) p.set('case', id);
      else p.delete('case');
      return p;
    });
  const list = usePagedList<CareCase, 'categoryCode' | 'riskLevel' | 'status' | 'overdue'>({
    url: '/api/care/cases',
    key: 'care-cases',
    filters: ['categoryCode', 'riskLevel', 'status', 'overdue'],
  });
  const todo = useQuery({
    queryKey: ['care-todo'],
    queryFn: () => call('GET /api/care/todo'),
  });
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('care.list.todoTitle')} size="small" data-testid="care-todo">
        <List
          size="small"
          loading={todo.isLoading}
          dataSource={todo.data?.items}
          locale={{ emptyText: t('care.list.todoEmpty') }}
          renderItem={(c) => (
            <List.Item onClick={() => show(c.id)} style={{ cursor: 'pointer' }} extra={<DueText c={c} />}>
              <Space>
                <Typography.Text strong>{c.residentName}</Typography.Text>
                {c.categoryName}
                <RiskTag risk={c.riskLevel} />
                <Typography.Text type="secondary">{c.gridName}</Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      </Card>
      <ListPage<CareCase>
        title={t('care.list.title')}
        list={list}
        empty={t('care.list.empty')}
        totalText={(n) => t('care.list.total', { count: n })}
        actions={
          can('care:write') && (
            <Button type="primary" onClick={() => setOpening(true)} data-testid="care-open">
              {t('care.list.open')}
            </Button>
          )
        }
        filters={
          <>
            <Select
              placeholder={t('care.list.category')}
              allowClear
              style={{ width: 200 }}
              value={list.filters.categoryCode}
              options={(categories.data?.items ?? []).map((c) => ({ value: c.code, label: c.name }))}
              onChange={(v?: string) => list.setFilters({ categoryCode: v })}
            />
            <Select
              placeholder={t('care.list.riskLevel')}
              allowClear
              style={{ width: 110 }}
              value={list.filters.riskLevel}
              options={riskOptions}
              onChange={(v?: string) => list.setFilters({ riskLevel: v })}
            />
            <Select
              placeholder={t('care.list.status')}
              allowClear
              style={{ width: 110 }}
              value={list.filters.status}
              options={[
                { value: 'open', label: t('care.list.statusOpen') },
                { value: 'closed', label: t('care.list.statusClosed') },
              ]}
              onChange={(v?: string) => list.setFilters({ status: v })}
            />
            <Select
              placeholder={t('care.list.visit')}
              allowClear
              style={{ width: 110 }}
              value={list.filters.overdue}
              options={[{ value: 'true', label: t('care.list.visitOverdue') }]}
              onChange={(v?: string) => list.setFilters({ overdue: v })}
            />
          </>
        }
        table={{
          rowKey: 'id',
          size: 'middle',
          onRow: (c) => ({ onClick: () => show(c.id), style: { cursor: 'pointer' } }),
          columns: [
            { title: t('care.list.resident'), dataIndex: 'residentName', width: 110 },
            { title: t('care.list.category'), dataIndex: 'categoryName', ellipsis: true },
            {
              title: t('care.list.risk'),
              dataIndex: 'riskLevel',
              width: 90,
              render: (r: CareCase['riskLevel']) => <RiskTag risk={r} />,
            },
            { title: t('care.list.grid'), dataIndex: 'gridName', ellipsis: true },
            {
              title: t('care.list.workers'),
              dataIndex: 'workers',
              width: 140,
              render: (w: CareCase['workers']) => w.map((x) => x.name).join('、'),
            },
            {
              title: t('care.list.lastVisit'),
              dataIndex: 'lastVisitAt',
              width: 110,
              render: (d: string | null) => fmt(d).slice(0, 10),
            },
            { title: t('care.list.nextVisit'), width: 120, render: (_, c) => <DueText c={c} /> },
          ],
        }}
      />
      <CaseDrawer id={openId} onClose={() => show(null)} />
      <OpenCaseModal open={opening} onClose={() => setOpening(false)} />
    </Space>
  );
}
