import type { CaseCategory } from '@civicgrid/core/api/cases';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, InputNumber, Modal, Select, Space, Switch, Tag } from 'antd';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Body, call } from '../../common/client.js';
import { ListView } from '../../common/list/ListPage.js';
import { useWholeList } from '../../common/list/useWholeList.js';
import { useFormSubmit } from '../common/useFormSubmit.js';
import { useCategories } from './shared.js';

type Row = CaseCategory & { children?: Row[] };
const handlerKinds = ['department', 'grid', 'community', 'street', 'district'] as const;
const priorities = ['normal', 'urgent', 'emergency'] as const;

/** Minutes shown the way people set them: hours, or working days (8 h) / days (24 h). */
function limitText(t: TFunction, min: number | null, clock: 'working' | 'natural') {
  if (!min) return '—';
  const day = clock === 'working' ? 480 : 1440;
  if (min % day === 0)
    return t(`caseForms.categories.limit.${clock === 'working' ? 'workdays' : 'days'}`, { count: min / day });
  return min % 60 === 0
    ? t('caseForms.categories.limit.hours', { count: min / 60 })
    : t('caseForms.categories.limit.minutes', { count: min });
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
  const { t, i18n } = useTranslation();
  // English unit names are longer than the Chinese ones.
  const en = i18n.language === 'en-US';
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
          { value: 1, label: t('caseForms.categories.units.minute') },
          { value: 60, label: t('caseForms.categories.units.hour') },
          {
            value: day,
            label: t(`caseForms.categories.units.${clock === 'working' ? 'workday' : 'day'}`),
          },
        ]}
        style={{ width: en ? 116 : 90 }}
      />
    </Space.Compact>
  );
}

/** 事件分类: the taxonomy with its handlers, clocks and deadlines, editable. */
export default function CategoriesPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en-US';
  const qc = useQueryClient();
  const categories = useCategories();
  const depts = useQuery({
    queryKey: ['departments'],
    queryFn: () => call('GET /api/departments'),
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
  const list = useWholeList(categories, rows);

  const { send: save } = useFormSubmit(
    form,
    async (v: Record<string, unknown>) => {
      if (editing?.isNew)
        await call('POST /api/case-categories', {
          body: { ...(v as Body<'POST /api/case-categories'>), parentCode: editing.row.parentCode ?? null },
        });
      else
        await call('PATCH /api/case-categories/:code', {
          params: { code: editing?.row.code as string },
          body: v as Body<'PATCH /api/case-categories/:code'>,
        });
    },
    {
      success: t('common.saved'),
      onDone: () => {
        setEditing(null);
        void qc.invalidateQueries({ queryKey: ['case-categories'] });
      },
    },
  );

  return (
    <Card
      title={t('caseForms.categories.title')}
      extra={
        <Button
          onClick={() =>
            setEditing({
              row: { handlerKind: 'department', clock: 'working', priority: 'normal' },
              isNew: true,
            })
          }
        >
          {t('caseForms.categories.newMajor')}
        </Button>
      }
    >
      <ListView<Row>
        list={list}
        table={{
          rowKey: 'code',
          size: 'small',
          expandable: { defaultExpandAllRows: false },
          columns: [
            { title: t('caseForms.categories.code'), dataIndex: 'code', width: 110 },
            {
              title: t('caseForms.categories.name'),
              dataIndex: 'name',
              render: (n: string, r) =>
                r.retired ? <Tag>{t('caseForms.categories.retiredName', { name: n })}</Tag> : n,
            },
            {
              title: t('caseForms.categories.handler'),
              render: (_: unknown, r) =>
                r.handlerKind === 'department'
                  ? (r.handlerDepartmentName ?? t('caseForms.categories.handlers.department'))
                  : t(`caseForms.categories.handlers.${r.handlerKind}`),
            },
            {
              title: t('caseForms.categories.clock'),
              dataIndex: 'clock',
              render: (c: string) =>
                t(`caseForms.categories.clocks.${c === 'natural' ? 'natural' : 'working'}`),
            },
            {
              title: t('caseForms.categories.limits'),
              render: (_: unknown, r) =>
                r.parentCode
                  ? [r.acceptMinutes, r.dispatchMinutes, r.resolveMinutes]
                      .map((m) => limitText(t, m, r.clock))
                      .join(' / ')
                  : '',
            },
            {
              title: t('caseForms.categories.priority'),
              dataIndex: 'priority',
              render: (p: (typeof priorities)[number]) => t(`caseForms.categories.priorities.${p}`),
            },
            {
              title: t('caseForms.categories.selfResolvable'),
              dataIndex: 'selfResolvable',
              render: (v: boolean) => (v ? <Tag color="green">{t('common.yes')}</Tag> : ''),
            },
            {
              title: t('caseForms.categories.publicMap'),
              dataIndex: 'publicMap',
              render: (v: boolean) => (v ? <Tag color="blue">{t('common.yes')}</Tag> : ''),
            },
            {
              title: t('common.actions'),
              width: 160,
              render: (_: unknown, r) => (
                <Space>
                  <Button size="small" onClick={() => setEditing({ row: r, isNew: false })}>
                    {t('common.edit')}
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
                      {t('caseForms.categories.newMinor')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ],
        }}
      />
      <Modal
        open={editing !== null}
        title={
          editing?.isNew
            ? t('caseForms.categories.newCategory')
            : t('caseForms.categories.editCategory', { code: editing?.row.code ?? '' })
        }
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
                label={t('caseForms.categories.code')}
                rules={[
                  {
                    required: true,
                    pattern: /^[A-Z][0-9A-Z]{1,15}$/,
                    message: t('caseForms.categories.codeRule'),
                  },
                ]}
              >
                <Input />
              </Form.Item>
            )}
            <Form.Item
              name="name"
              label={t('caseForms.categories.name')}
              rules={[{ required: true, max: 40 }]}
            >
              <Input />
            </Form.Item>
            <Space wrap>
              <Form.Item name="handlerKind" label={t('caseForms.categories.handler')}>
                <Select
                  style={{ width: 140 }}
                  options={handlerKinds.map((value) => ({
                    value,
                    label: t(`caseForms.categories.handlers.${value}`),
                  }))}
                />
              </Form.Item>
              {handlerKind === 'department' && (
                <Form.Item name="handlerDepartmentId" label={t('caseForms.categories.department')}>
                  <Select
                    style={{ width: 160 }}
                    allowClear
                    options={depts.data?.items.map((d) => ({ value: d.id, label: d.name }))}
                  />
                </Form.Item>
              )}
              <Form.Item name="clock" label={t('caseForms.categories.clockLabel')}>
                <Select
                  style={{ width: en ? 150 : 120 }}
                  options={[
                    { value: 'working', label: t('caseForms.categories.clocks.working') },
                    { value: 'natural', label: t('caseForms.categories.clocks.natural') },
                  ]}
                />
              </Form.Item>
              <Form.Item name="priority" label={t('caseForms.categories.priority')}>
                <Select
                  style={{ width: 100 }}
                  options={priorities.map((value) => ({
                    value,
                    label: t(`caseForms.categories.priorities.${value}`),
                  }))}
                />
              </Form.Item>
            </Space>
            <Space wrap>
              <Form.Item name="acceptMinutes" label={t('caseForms.categories.acceptLimit')}>
                <LimitInput clock={clock} />
              </Form.Item>
              <Form.Item name="dispatchMinutes" label={t('caseForms.categories.dispatchLimit')}>
                <LimitInput clock={clock} />
              </Form.Item>
              <Form.Item name="resolveMinutes" label={t('caseForms.categories.resolveLimit')}>
                <LimitInput clock={clock} />
              </Form.Item>
            </Space>
            <Space size={32}>
              <Form.Item
                name="selfResolvable"
                label={t('caseForms.categories.selfResolvableLabel')}
                valuePropName="checked"
              >
                <Switch />
              </Form.Item>
              <Form.Item
                name="autoEscalate"
                label={t('caseForms.categories.autoEscalate')}
                valuePropName="checked"
                initialValue={true}
              >
                <Switch />
              </Form.Item>
              <Form.Item
                name="publicMap"
                label={t('caseForms.categories.publicMap')}
                tooltip={t('caseForms.categories.publicMapHint')}
                valuePropName="checked"
                initialValue={false}
              >
                <Switch data-testid="category-public-map" />
              </Form.Item>
              {!editing.isNew && (
                <Form.Item name="retired" label={t('caseForms.categories.retired')} valuePropName="checked">
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
