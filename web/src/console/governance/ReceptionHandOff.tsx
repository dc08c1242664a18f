import type { Reception } from '@civicgrid/core/api/disputes';
import { Form, Input, Modal, TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../common/client.js';
import { categoryTree, useCategories } from '../cases/shared.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

interface Values {
  subject?: string;
  categoryCode?: string;
  address?: string;
}

/**
 * A waiting visit handed on in one call: registered as a grievance (the visitor is the
 * person) or reported as a case (the matter is its description). The server writes both
 * halves in one transaction; the queue is refreshed by the caller.
 */
export function ReceptionHandOff({
  visit,
  to,
  onClose,
  onDone,
}: {
  visit: Reception;
  to: 'grievance' | 'case';
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const categories = useCategories();
  const tree = useMemo(() => categoryTree(categories.data?.items ?? [], true), [categories.data]);
  const { send: save, busy: saving } = useFormSubmit(
    form,
    (v: Values) =>
      to === 'grievance'
        ? call('POST /api/receptions/:id/grievance', {
            params: { id: visit.id },
            body: { subject: v.subject ?? '' },
          })
        : call('POST /api/receptions/:id/case', {
            params: { id: visit.id },
            body: { categoryCode: v.categoryCode ?? '', address: v.address },
          }),
    {
      success: t('disputes.reception.handedOn'),
      onDone: () => onDone(),
    },
  );
  return (
    <Modal
      open
      title={t(to === 'grievance' ? 'disputes.reception.grievanceTitle' : 'disputes.reception.caseTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      destroyOnHidden
    >
      <p data-testid="handoff-matter">
        {visit.number} · {visit.visitorName}：{visit.matter}
      </p>
      <Form form={form} layout="vertical" onFinish={save} data-testid="reception-handoff">
        {to === 'grievance' ? (
          <Form.Item
            name="subject"
            label={t('disputes.reception.subject')}
            rules={[{ required: true, message: t('disputes.reception.subjectRequired') }]}
            initialValue={visit.matter.slice(0, 30)}
          >
            <Input maxLength={100} />
          </Form.Item>
        ) : (
          <>
            <Form.Item
              name="categoryCode"
              label={t('disputes.reception.category')}
              rules={[{ required: true, message: t('disputes.reception.categoryRequired') }]}
            >
              <TreeSelect
                showSearch
                treeNodeFilterProp="title"
                treeData={tree}
                loading={categories.isLoading}
              />
            </Form.Item>
            <Form.Item
              name="address"
              label={t('disputes.reception.address')}
              rules={[{ required: true, message: t('disputes.reception.addressRequired') }]}
            >
              <Input maxLength={200} />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}
