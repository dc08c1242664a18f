import { type CareCase, riskLevelNames, riskLevels } from '@civicgrid/core/api/care';
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
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { applyFieldErrors, errorMessage, get, patch, post } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { QueryState } from '../../common/QueryState.js';
import { PhotoUpload } from '../cases/PhotoUpload.js';
import { fmt } from '../cases/shared.js';

const riskColors = { high: 'red', medium: 'orange', low: 'green' } as const;

interface CareCategory {
  code: string;
  name: string;
  description: string | null;
  visitDays: { high: number; medium: number; low: number };
  retentionDays: number;
  active: boolean;
}
type CareDetail = CareCase & {
  visits: { id: number; visitedAt: string; place: string; notes: string; photoIds: string[]; by: string }[];
};

export function useCareCategories() {
  return useQuery({
    queryKey: ['care-categories'],
    queryFn: () => get<{ items: CareCategory[] }>('/api/care/categories'),
    staleTime: 60_000,
  });
}

function RiskTag({ risk }: { risk: CareCase['riskLevel'] }) {
  return <Tag color={riskColors[risk]}>风险{riskLevelNames[risk]}</Tag>;
}

function DueText({ c }: { c: CareCase }) {
  if (c.status === 'closed') return <Tag>已结案</Tag>;
  return c.overdue ? (
    <Typography.Text type="danger">逾期 {dayjs().diff(dayjs(c.nextVisitDue), 'day')} 天</Typography.Text>
  ) : (
    <span>{fmt(c.nextVisitDue).slice(0, 10)}</span>
  );
}

function CaseDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const detail = useQuery({
    queryKey: ['care-case', id],
    queryFn: () => get<CareDetail>(`/api/care/cases/${id}`),
    enabled: id !== null,
  });
  const c = detail.data;
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['care-case', id] });
    void qc.invalidateQueries({ queryKey: ['care-cases'] });
    void qc.invalidateQueries({ queryKey: ['care-todo'] });
  };
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      width={600}
      title={c ? `${c.residentName} · ${c.categoryName}` : '帮扶档案'}
      extra={
        c?.status === 'open' &&
        can('care:write') && (
          <Button
            danger
            onClick={() => {
              let reason = '';
              modal.confirm({
                title: '结案',
                content: (
                  <Input.TextArea
                    rows={3}
                    placeholder="结案原因（必填），如：矫正期满、迁出辖区"
                    onChange={(e) => {
                      reason = e.target.value;
                    }}
                  />
                ),
                okText: '确认结案',
                onOk: async () => {
                  try {
                    await post(`/api/care/cases/${id}/close`, { reason });
                    message.success('已结案');
                    refresh();
                  } catch (e) {
                    message.error(errorMessage(e));
                    throw e;
                  }
                },
              });
            }}
          >
            结案
          </Button>
        )
      }
    >
      <QueryState loading={detail.isLoading} error={detail.error} onRetry={() => detail.refetch()}>
        {c && (
          <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="care-drawer">
            <Alert type="info" showIcon message="本档案仅负责人员与督导可见，每次查阅均记入审计日志。" />
            <Descriptions size="small" column={2} bordered>
              <Descriptions.Item label="类别">{c.categoryName}</Descriptions.Item>
              <Descriptions.Item label="风险等级">
                {c.status === 'open' && can('care:write') ? (
                  <Select
                    size="small"
                    value={c.riskLevel}
                    style={{ width: 90 }}
                    options={riskLevels.map((r) => ({ value: r, label: riskLevelNames[r] }))}
                    onChange={async (v) => {
                      try {
                        await patch(`/api/care/cases/${id}`, { riskLevel: v });
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
              <Descriptions.Item label="网格">{c.gridName}</Descriptions.Item>
              <Descriptions.Item label="负责人员">
                {c.workers.map((w) => w.name).join('、')}
              </Descriptions.Item>
              <Descriptions.Item label="建档">{fmt(c.openedAt)}</Descriptions.Item>
              <Descriptions.Item label="下次走访">
                <DueText c={c} />
              </Descriptions.Item>
              <Descriptions.Item label="帮扶计划" span={2}>
                {c.plan ?? '—'}
              </Descriptions.Item>
              {c.status === 'closed' && (
                <Descriptions.Item label="结案" span={2}>
                  {fmt(c.closedAt)} {c.closeReason ?? ''}
                </Descriptions.Item>
              )}
            </Descriptions>
            {c.status === 'open' && can('care:write') && (
              <Card size="small" title="记录走访">
                <Form
                  form={form}
                  layout="vertical"
                  initialValues={{ visitedAt: dayjs(), place: '家中' }}
                  onFinish={async (v) => {
                    try {
                      await post(`/api/care/cases/${id}/visits`, {
                        visitedAt: (v.visitedAt as dayjs.Dayjs).toISOString(),
                        place: v.place,
                        notes: v.notes,
                        photoIds: v.photoIds ?? [],
                      });
                      message.success('走访已记录');
                      form.resetFields();
                      refresh();
                    } catch (e) {
                      if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
                    }
                  }}
                >
                  <Space>
                    <Form.Item
                      name="visitedAt"
                      label="时间"
                      rules={[{ required: true, message: '请选择时间' }]}
                    >
                      <DatePicker showTime disabledDate={(d) => d.isAfter(dayjs())} />
                    </Form.Item>
                    <Form.Item name="place" label="地点" rules={[{ required: true, message: '请填写地点' }]}>
                      <Input maxLength={100} />
                    </Form.Item>
                  </Space>
                  <Form.Item
                    name="notes"
                    label="走访情况"
                    rules={[{ required: true, message: '请填写走访情况' }]}
                  >
                    <Input.TextArea rows={3} maxLength={4000} data-testid="care-visit-notes" />
                  </Form.Item>
                  <Form.Item name="photoIds" label="照片（选填）">
                    <PhotoUpload max={9} />
                  </Form.Item>
                  <Button type="primary" htmlType="submit" data-testid="care-visit-save">
                    保存
                  </Button>
                </Form>
              </Card>
            )}
            <Card size="small" title={`走访记录（${c.visits.length}）`}>
              {c.visits.length === 0 ? (
                <Empty description="尚无走访" />
              ) : (
                <Timeline
                  items={c.visits.map((v) => ({
                    children: (
                      <div>
                        <Typography.Text strong>{fmt(v.visitedAt)}</Typography.Text> {v.place}（{v.by}）
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
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const categories = useCareCategories();
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
    queryFn: () =>
      get<{ items: { id: string; name: string }[] }>(`/api/care/workers?gridId=${person?.gridId}`),
    enabled: !!person,
  });
  return (
    <Modal open={open} title="建立帮扶档案" onCancel={onClose} onOk={() => form.submit()} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={async (v) => {
          try {
            await post('/api/care/cases', v);
            message.success('已建档');
            onClose();
            void qc.invalidateQueries({ queryKey: ['care-cases'] });
          } catch (e) {
            if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
          }
        }}
      >
        <Form.Item name="residentId" label="帮扶对象" rules={[{ required: true, message: '请选择居民' }]}>
          <Select
            showSearch
            filterOption={false}
            placeholder="输入姓名或身份证号查找"
            onSearch={setTerm}
            loading={people.isFetching}
            notFoundContent={term ? '未找到' : '请输入'}
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
          <Form.Item name="categoryCode" label="类别" rules={[{ required: true, message: '请选择类别' }]}>
            <Select
              options={(categories.data?.items ?? [])
                .filter((c) => c.active)
                .map((c) => ({ value: c.code, label: c.name }))}
            />
          </Form.Item>
          <Form.Item name="riskLevel" label="风险等级" initialValue="medium">
            <Select options={riskLevels.map((r) => ({ value: r, label: riskLevelNames[r] }))} />
          </Form.Item>
        </Space>
        <Form.Item
          name="workerIds"
          label="负责人员"
          rules={[{ required: true, message: '至少指派一名工作人员' }]}
        >
          <Select
            mode="multiple"
            disabled={!person}
            placeholder={person ? '选择负责该网格的工作人员' : '先选择帮扶对象'}
            options={(workers.data?.items ?? []).map((w) => ({ value: w.id, label: w.name }))}
          />
        </Form.Item>
        <Form.Item name="plan" label="帮扶计划">
          <Input.TextArea rows={3} maxLength={2000} placeholder="需求、帮扶措施、联系的部门" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 关爱帮扶: the worker's due visits, the cases they may see, and each case's file. */
export default function CarePage() {
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const [filters, setFilters] = useState<Record<string, string | undefined>>({});
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [opening, setOpening] = useState(false);
  const categories = useCareCategories();
  const openId = params.get('case');
  const show = (id: string | null) =>
    setParams((p) => {
      if (id) p.set('case', id);
      else p.delete('case');
      return p;
    });
  const qs = new URLSearchParams(
    Object.entries({ ...filters, ...page }).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])),
  ).toString();
  const list = useQuery({
    queryKey: ['care-cases', qs],
    queryFn: () => get<{ items: CareCase[]; total: number }>(`/api/care/cases?${qs}`),
  });
  const todo = useQuery({
    queryKey: ['care-todo'],
    queryFn: () => get<{ items: CareCase[] }>('/api/care/todo'),
  });
  const set = (k: string, v: string | undefined) => {
    setFilters((f) => ({ ...f, [k]: v }));
    setPage((p) => ({ ...p, page: 1 }));
  };
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card title="我的待走访（三天内到期或已逾期）" size="small" data-testid="care-todo">
        <List
          size="small"
          loading={todo.isLoading}
          dataSource={todo.data?.items}
          locale={{ emptyText: '暂无到期走访' }}
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
      <Card
        title="关爱帮扶档案"
        extra={
          can('care:write') && (
            <Button type="primary" onClick={() => setOpening(true)} data-testid="care-open">
              建立档案
            </Button>
          )
        }
      >
        <Space wrap style={{ marginBottom: 12 }}>
          <Select
            placeholder="类别"
            allowClear
            style={{ width: 200 }}
            options={(categories.data?.items ?? []).map((c) => ({ value: c.code, label: c.name }))}
            onChange={(v) => set('categoryCode', v)}
          />
          <Select
            placeholder="风险等级"
            allowClear
            style={{ width: 110 }}
            options={riskLevels.map((r) => ({ value: r, label: riskLevelNames[r] }))}
            onChange={(v) => set('riskLevel', v)}
          />
          <Select
            placeholder="状态"
            allowClear
            style={{ width: 110 }}
            options={[
              { value: 'open', label: '帮扶中' },
              { value: 'closed', label: '已结案' },
            ]}
            onChange={(v) => set('status', v)}
          />
          <Select
            placeholder="走访"
            allowClear
            style={{ width: 110 }}
            options={[{ value: 'true', label: '走访逾期' }]}
            onChange={(v) => set('overdue', v)}
          />
        </Space>
        <QueryState loading={false} error={list.error} onRetry={() => list.refetch()}>
          <Table<CareCase>
            rowKey="id"
            size="middle"
            loading={list.isLoading}
            dataSource={list.data?.items}
            locale={{ emptyText: '暂无您负责或督导的档案' }}
            onRow={(c) => ({ onClick: () => show(c.id), style: { cursor: 'pointer' } })}
            pagination={{
              current: page.page,
              pageSize: page.pageSize,
              total: list.data?.total ?? 0,
              showTotal: (n) => `共 ${n} 件`,
              onChange: (p, s) => setPage({ page: p, pageSize: s }),
            }}
            columns={[
              { title: '对象', dataIndex: 'residentName', width: 110 },
              { title: '类别', dataIndex: 'categoryName', ellipsis: true },
              {
                title: '风险',
                dataIndex: 'riskLevel',
                width: 90,
                render: (r: CareCase['riskLevel']) => <RiskTag risk={r} />,
              },
              { title: '网格', dataIndex: 'gridName', ellipsis: true },
              {
                title: '负责人员',
                dataIndex: 'workers',
                width: 140,
                render: (w: CareCase['workers']) => w.map((x) => x.name).join('、'),
              },
              {
                title: '上次走访',
                dataIndex: 'lastVisitAt',
                width: 110,
                render: (d: string | null) => fmt(d).slice(0, 10),
              },
              { title: '下次走访', width: 120, render: (_, c) => <DueText c={c} /> },
            ]}
          />
        </QueryState>
      </Card>
      <CaseDrawer id={openId} onClose={() => show(null)} />
      <OpenCaseModal open={opening} onClose={() => setOpening(false)} />
    </Space>
  );
}
