import type { ApplicationDetail } from '@civicgrid/core/api/services';
import type { ApplicationAction } from '@civicgrid/core/services/stateMachine';
import { useQuery } from '@tanstack/react-query';
import { Alert, Checkbox, Form, Input, Modal, Radio, Select, TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../common/auth.js';
import { type Body, call } from '../../common/client.js';
import { useTrees } from '../cases/shared.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

type ActionBody = Body<'POST /api/applications/:id/actions/:action'>;

/** Ends the application or turns it away: the button is red and the modal's OK too. */
export const dangerActions: readonly ApplicationAction[] = ['reject', 'decline', 'withdraw'];

interface Values {
  result?: string;
  reason?: string;
  note?: string;
  kind?: 'orgUnit' | 'department';
  target?: number;
  missing?: string[];
  supplied?: string[];
}

/** The action's body from the modal's fields: only what that action's schema in core takes. */
function bodyOf(action: ApplicationAction, v: Values): ActionBody {
  const note = v.note?.trim() ? { note: v.note.trim() } : {};
  switch (action) {
    case 'approve':
      return v.result?.trim() ? { result: v.result.trim() } : {};
    case 'reject':
    case 'decline':
      return { reason: v.reason?.trim() ?? '' };
    case 'withdraw':
      return v.reason?.trim() ? { reason: v.reason.trim() } : {};
    case 'transfer':
      return v.kind === 'department' ? { departmentId: v.target, ...note } : { orgUnitId: v.target, ...note };
    case 'requestMaterial':
    case 'requireMaterial':
      return { missing: v.missing ?? [], ...note };
    case 'supplement':
      return { ...(v.supplied?.length ? { materials: v.supplied.map((name) => ({ name })) } : {}), ...note };
    default:
      return note;
  }
}

function TransferFields() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const form = Form.useFormInstance<Values>();
  const kind = Form.useWatch('kind', form);
  const trees = useTrees();
  const departments = useQuery({
    queryKey: ['departments'],
    queryFn: () => call('GET /api/departments'),
    enabled: kind === 'department' && can('department:read'),
  });
  return (
    <>
      <Form.Item name="kind" label={t('services.action.targetKind')} initialValue="orgUnit">
        <Radio.Group
          onChange={() => form.setFieldValue('target', undefined)}
          options={[
            { value: 'orgUnit', label: t('services.action.kindOrgUnit') },
            { value: 'department', label: t('services.action.kindDepartment') },
          ]}
        />
      </Form.Item>
      <Form.Item
        name="target"
        label={t('services.action.target')}
        rules={[{ required: true, message: t('services.action.targetRequired') }]}
      >
        {kind === 'department' ? (
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={departments.isLoading}
            options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
            data-testid="application-transfer-target"
          />
        ) : (
          <TreeSelect
            showSearch
            treeNodeFilterProp="title"
            treeDefaultExpandAll
            treeData={trees.areas}
            data-testid="application-transfer-target"
          />
        )}
      </Form.Item>
    </>
  );
}

function Fields({ action, app }: { action: ApplicationAction; app: ApplicationDetail }) {
  const { t } = useTranslation();
  const note = (
    <Form.Item name="note" label={t('services.action.note')}>
      <Input.TextArea rows={2} maxLength={1000} />
    </Form.Item>
  );
  switch (action) {
    case 'approve':
      return (
        <Form.Item name="result" label={t('services.action.result')}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="application-result" />
        </Form.Item>
      );
    case 'reject':
    case 'decline':
      return (
        <Form.Item
          name="reason"
          label={t('services.action.reason')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('services.action.reasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={1000} data-testid="application-reason" />
        </Form.Item>
      );
    case 'withdraw':
      return (
        <>
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('services.action.withdrawConfirm')}
          />
          <Form.Item name="reason" label={t('services.action.reason')}>
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
        </>
      );
    case 'transfer':
      return (
        <>
          <TransferFields />
          {note}
        </>
      );
    case 'requestMaterial':
    case 'requireMaterial':
      return (
        <>
          <Form.Item
            name="missing"
            label={t('services.action.missing')}
            rules={[{ required: true, type: 'array', min: 1, message: t('services.action.missingRequired') }]}
          >
            <Select
              mode="tags"
              placeholder={t('services.action.missingPlaceholder')}
              options={app.materials.map((m) => ({ value: m.name, label: m.name }))}
              data-testid="application-missing"
            />
          </Form.Item>
          {note}
        </>
      );
    case 'supplement':
      return (
        <>
          {app.missing.length > 0 && (
            <Form.Item
              name="supplied"
              label={t('services.action.supplementMaterials')}
              extra={t('services.action.supplementHint')}
            >
              <Checkbox.Group options={app.missing.map((m) => ({ value: m, label: m }))} />
            </Form.Item>
          )}
          {note}
        </>
      );
    default:
      return note;
  }
}

/** The modal of one action: its body's fields, then POST …/actions/{action}; the reply is the new detail. */
export function ApplicationActionModal({
  app,
  action,
  onClose,
  onDone,
}: {
  app: ApplicationDetail;
  action: ApplicationAction | null;
  onClose: () => void;
  onDone: (next: ApplicationDetail) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { send, busy } = useFormSubmit(
    form,
    ({ action, values }: { action: ApplicationAction; values: Values }) =>
      call('POST /api/applications/:id/actions/:action', {
        params: { id: app.id, action },
        body: bodyOf(action, values),
      }),
    {
      success: (_, { action }) => t('services.action.done', { action: t(`services.actions.${action}`) }),
      onDone: (next) => {
        form.resetFields();
        onDone(next);
      },
    },
  );
  if (!action) return null;
  const label = t(`services.actions.${action}`);
  return (
    <Modal
      open
      title={label}
      okText={label}
      okButtonProps={{ danger: dangerActions.includes(action), 'data-testid': 'application-action-ok' }}
      confirmLoading={busy}
      destroyOnHidden
      onCancel={onClose}
      onOk={async () => {
        const values = await form.validateFields();
        await send({ action, values });
      }}
    >
      <Form form={form} layout="vertical" preserve={false} data-testid="application-action-form">
        <Fields action={action} app={app} />
      </Form>
    </Modal>
  );
}
