import type { OrgTreeNode } from '@civicgrid/core/api/org';
import { councilMemberCategories } from '@civicgrid/core/participation/councils';
import { useQueryClient } from '@tanstack/react-query';
import { DatePicker, Form, Input, Modal, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../common/client.js';
import { useOrgTree } from '../cases/shared.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

const ymd = (d: Dayjs) => d.format('YYYY-MM-DD');

/** The streets of the user's jurisdiction, from the org tree. */
export function useStreets() {
  const tree = useOrgTree();
  return useMemo(() => {
    const out: { value: number; label: string }[] = [];
    const walk = (n: OrgTreeNode) => {
      if (n.level === 'street') out.push({ value: n.id, label: n.name });
      else n.children.forEach(walk);
    };
    (tree.data ?? []).forEach(walk);
    return { options: out, loading: tree.isLoading };
  }, [tree.data, tree.isLoading]);
}

/** 设立街道议事会: one per street of the jurisdiction, with its term. */
export function CreateCouncilModal({ onClose }: { onClose: (id?: number) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const streets = useStreets();
  const { submit, busy } = useFormSubmit(
    form,
    (v: { streetId: number; name: string; termStart: Dayjs; termEnd: Dayjs }) =>
      call('POST /api/street-councils', {
        body: {
          streetId: v.streetId,
          name: v.name.trim(),
          termStart: ymd(v.termStart),
          termEnd: ymd(v.termEnd),
        },
      }),
    {
      success: t('participation.councils.done'),
      onDone: async (made) => {
        await qc.invalidateQueries({ queryKey: ['street-councils'] });
        onClose(made.id);
      },
    },
  );
  return (
    <Modal
      open
      title={t('participation.councils.create')}
      onCancel={() => onClose()}
      onOk={submit}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'council-create-submit' }}
    >
      <Form
        form={form}
        layout="vertical"
        data-testid="council-create-form"
        onValuesChange={(changed: { streetId?: number }) => {
          // The usual name, until the user types his own.
          const street = streets.options.find((s) => s.value === changed.streetId);
          if (street && !form.isFieldTouched('name')) form.setFieldValue('name', `${street.label}议事会`);
        }}
      >
        <Form.Item
          name="streetId"
          label={t('participation.councils.street')}
          rules={[{ required: true, message: t('participation.councils.streetRequired') }]}
        >
          <Select loading={streets.loading} options={streets.options} data-testid="council-street" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('participation.councils.name')}
          rules={[
            {
              required: true,
              whitespace: true,
              min: 2,
              max: 60,
              message: t('participation.councils.nameRequired'),
            },
          ]}
        >
          <Input maxLength={60} data-testid="council-name" />
        </Form.Item>
        <Space>
          <Form.Item
            name="termStart"
            label={t('participation.councils.termStart')}
            rules={[{ required: true, message: t('participation.councils.termStartRequired') }]}
          >
            <DatePicker data-testid="council-term-start" />
          </Form.Item>
          <Form.Item
            name="termEnd"
            label={t('participation.councils.termEnd')}
            rules={[{ required: true, message: t('participation.councils.termEndRequired') }]}
          >
            <DatePicker data-testid="council-term-end" />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

/** A member seated on the council: name, category, affiliation, phone (kept encrypted, shown masked). */
export function AddMemberModal({ councilId, onClose }: { councilId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const { submit, busy } = useFormSubmit(
    form,
    (v: {
      name: string;
      category: (typeof councilMemberCategories)[number];
      affiliation?: string;
      phone?: string;
      joinedOn?: Dayjs;
    }) =>
      call('POST /api/street-councils/:id/members', {
        params: { id: councilId },
        body: {
          name: v.name.trim(),
          category: v.category,
          ...(v.affiliation?.trim() ? { affiliation: v.affiliation.trim() } : {}),
          ...(v.phone ? { phone: v.phone } : {}),
          ...(v.joinedOn ? { joinedOn: ymd(v.joinedOn) } : {}),
        },
      }),
    {
      success: t('participation.councils.done'),
      onDone: async () => {
        await qc.invalidateQueries({ queryKey: ['street-councils'] });
        onClose();
      },
    },
  );
  return (
    <Modal
      open
      title={t('participation.councils.addMember')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'council-member-submit' }}
    >
      <Form form={form} layout="vertical" data-testid="council-member-form">
        <Form.Item
          name="name"
          label={t('participation.councils.memberName')}
          rules={[
            {
              required: true,
              whitespace: true,
              min: 2,
              max: 30,
              message: t('participation.councils.memberNameRequired'),
            },
          ]}
        >
          <Input maxLength={30} data-testid="council-member-name" />
        </Form.Item>
        <Form.Item
          name="category"
          label={t('participation.councils.category')}
          rules={[{ required: true, message: t('participation.councils.categoryRequired') }]}
        >
          <Select
            data-testid="council-member-category"
            options={councilMemberCategories.map((c) => ({
              value: c,
              label: t(`participation.councils.categories.${c}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="affiliation" label={t('participation.councils.affiliation')}>
          <Input maxLength={60} />
        </Form.Item>
        <Space>
          <Form.Item
            name="phone"
            label={t('participation.councils.phone')}
            rules={[{ pattern: /^1[3-9]\d{9}$/, message: t('participation.councils.phoneInvalid') }]}
          >
            <Input maxLength={11} data-testid="council-member-phone" />
          </Form.Item>
          <Form.Item name="joinedOn" label={t('participation.councils.joinedOn')}>
            <DatePicker />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
