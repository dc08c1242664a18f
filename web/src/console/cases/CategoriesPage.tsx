import type { CaseCategory } from '@civicgrid/core/api/cases';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { applyFieldErrors, errorMessage, get, patch, post } from '../../common/api.js';
import { useCategories } from './shared.js';

type Row = CaseCategory & { children?: Row[] };
const handlerNames = {
  department: '职能部门',
  grid: '网格',
  community: '社区',
  street: '街道',
  district: '区',
};
const priorityNames = { normal: '一般', urgent: '紧急', emergency: '特急' };

/** Minutes shown the way people set them: hours, or working days (8 h) / days (24 h). */
function limitText(min: number | null, clock: 'working' | 'natural') {
  if (!min) return '—';
  const day = clock === 'working' ? 480 : 1440;
  if (min % day === 0) return `${min / day}${clock === 'working' ? '工作日' : '天'}`;
  return min % 60 === 0 ? `${min / 60}小时` : `${min}分钟`;
}

function LimitInput({
  value,
  onChange,
  clock,
}: {
  value?: number | null;
  onChange?: (v: number | null) => void;
  clock: 'working' | 'natural';
}) {
  const day = clock === 'working' ? 480 : 1440;
  const [unit, setUnit] = useState<number>(
    value && value % day === 0 ? day : value && value % 60 === 0 ? 60 : 1,
  );
  return (
    <Space.Compact>
      <InputNumber
        min={0}
        value={value ? value / unit : null}
        onChange={(v) => onChange?.(v ? Math.round(Number(v) * unit) : null)}
        style={{ width: 100 }}
      />
      <Select
        value={unit}
        onChange={(u) => {
          setUnit(u);
          if (value) onChange?.(Math.round((value / unit) * u));
        }}
        options={[
          { value: 1, label: '分钟' },
          { value: 60, label: '小时' },
          { value: day, label: clock === 'working' ? '工作日' : '天' },
        ]}
        style={{ width: 90 }}
      />
    </Space.Compact>
  );
}

/** 事件分类: the taxonomy with its handlers, clocks and deadlines, editable. */
export default function CategoriesPage() {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const categories = useCategories();
  const depts = useQuery({
    queryKey: ['departments'],
    queryFn: () => get<{ items: { id: number; name: string }[] }>('/api/departments'),
  });
  const [editing, setEditing] = useState<{ row: Partial<CaseCategory>; isNew: boolean } | null>(null);
  const [form] = Form.useForm();
  const clock = (Form.useWatch('clock', form) as 'working' | 'natural' | undefined) ?? 'working';
  const handlerKind = Form.useWatch('handlerKind', form);
  const rows = useMemo(() => {
    const items = categories.data?.items ?? [];
    return items
      .filter((c) => c.parentCode === null)
      .map((m) => ({ ...m, children: items.filter((c) => c.parentCode === m.code) }) as Row);
  }, [categories.data]);

  const save = async (v: Record<string, unknown>) => {
    try {
      if (editing?.isNew)
        await post('/api/case-categories', { ...v, parentCode: editing.row.parentCode ?? null });
      else await patch(`/api/case-categories/${editing?.row.code}`, v);
      message.success('已保存');
      setEditing(null);
      void qc.invalidateQueries({ queryKey: ['case-categories'] });
    } catch (e) {
      if (!applyFieldErrors(form, e)) message.error(errorMessage(e));
    }
  };

  return (
    <Card
      title="事件分类"
      extra={
        <Button
          onClick={() =>
            setEditing({
              row: { handlerKind: 'department', clock: 'working', priority: 'normal' },
              isNew: true,
            })
          }
        >
          新建大类
        </Button>
      }
    >
      <Table<Row>
        rowKey="code"
        size="small"
        loading={categories.isLoading}
        dataSource={rows}
        pagination={false}
        expandable={{ defaultExpandAllRows: false }}
        columns={[
          { title: '编码', dataIndex: 'code', width: 110 },
          {
            title: '名称',
            dataIndex: 'name',
            render: (n: string, r) => (r.retired ? <Tag>已停用 {n}</Tag> : n),
          },
          {
            title: '默认承办',
            render: (_: unknown, r) =>
              r.handlerKind === 'department'
                ? (r.handlerDepartmentName ?? '职能部门')
                : handlerNames[r.handlerKind],
          },
          {
            title: '计时',
            dataIndex: 'clock',
            render: (c: string) => (c === 'natural' ? '自然时' : '工作时'),
          },
          {
            title: '受理 / 派遣 / 处置时限',
            render: (_: unknown, r) =>
              r.parentCode
                ? [r.acceptMinutes, r.dispatchMinutes, r.resolveMinutes]
                    .map((m) => limitText(m, r.clock))
                    .join(' / ')
                : '',
          },
          {
            title: '优先级',
            dataIndex: 'priority',
            render: (p: keyof typeof priorityNames) => priorityNames[p],
          },
          {
            title: '可自处置',
            dataIndex: 'selfResolvable',
            render: (v: boolean) => (v ? <Tag color="green">是</Tag> : ''),
          },
          {
            title: '操作',
            width: 160,
            render: (_: unknown, r) => (
              <Space>
                <Button size="small" onClick={() => setEditing({ row: r, isNew: false })}>
                  编辑
                </Button>
                {!r.parentCode && (
                  <Button
                    size="small"
                    onClick={() =>
                      setEditing({
                        row: {
                          parentCode: r.code,
                          handlerKind: r.handlerKind,
                          handlerDepartmentId: r.handlerDepartmentId,
                          clock: 'working',
                          priority: 'normal',
                        },
                        isNew: true,
                      })
                    }
                  >
                    新建小类
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing?.isNew ? '新建分类' : `编辑分类 ${editing?.row.code ?? ''}`}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        destroyOnHidden
        width={600}
      >
        {editing && (
          <Form form={form} layout="vertical" initialValues={editing.row} onFinish={save} preserve={false}>
            {editing.isNew && !editing.row.parentCode && (
              <Form.Item
                name="code"
                label="编码"
                rules={[
                  {
                    required: true,
                    pattern: /^[A-Z][0-9A-Z]{1,15}$/,
                    message: '编码为大写字母开头的2–16位字母数字',
                  },
                ]}
              >
                <Input />
              </Form.Item>
            )}
            <Form.Item name="name" label="名称" rules={[{ required: true, max: 40 }]}>
              <Input />
            </Form.Item>
            <Space wrap>
              <Form.Item name="handlerKind" label="默认承办">
                <Select
                  style={{ width: 140 }}
                  options={Object.entries(handlerNames).map(([value, label]) => ({ value, label }))}
                />
              </Form.Item>
              {handlerKind === 'department' && (
                <Form.Item name="handlerDepartmentId" label="职能部门">
                  <Select
                    style={{ width: 160 }}
                    allowClear
                    options={depts.data?.items.map((d) => ({ value: d.id, label: d.name }))}
                  />
                </Form.Item>
              )}
              <Form.Item name="clock" label="计时方式">
                <Select
                  style={{ width: 120 }}
                  options={[
                    { value: 'working', label: '工作时' },
                    { value: 'natural', label: '自然时' },
                  ]}
                />
              </Form.Item>
              <Form.Item name="priority" label="优先级">
                <Select
                  style={{ width: 100 }}
                  options={Object.entries(priorityNames).map(([value, label]) => ({ value, label }))}
                />
              </Form.Item>
            </Space>
            <Space wrap>
              <Form.Item name="acceptMinutes" label="受理时限">
                <LimitInput clock={clock} />
              </Form.Item>
              <Form.Item name="dispatchMinutes" label="派遣时限">
                <LimitInput clock={clock} />
              </Form.Item>
              <Form.Item name="resolveMinutes" label="处置时限">
                <LimitInput clock={clock} />
              </Form.Item>
            </Space>
            <Space size={32}>
              <Form.Item name="selfResolvable" label="网格员可自处置" valuePropName="checked">
                <Switch />
              </Form.Item>
              <Form.Item name="autoEscalate" label="超期自动上报" valuePropName="checked" initialValue={true}>
                <Switch />
              </Form.Item>
              {!editing.isNew && (
                <Form.Item name="retired" label="停用" valuePropName="checked">
                  <Switch />
                </Form.Item>
              )}
            </Space>
          </Form>
        )}
      </Modal>
    </Card>
  );
}
