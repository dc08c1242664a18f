import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type { DisputeDetail } from '@civicgrid/core/api/disputes';
import { performedValues, referralKinds } from '@civicgrid/core/api/disputes';
import type { DisputeAction } from '@civicgrid/core/disputes/stateMachine';
import { useQuery } from '@tanstack/react-query';
import {
  Button,
  type ButtonProps,
  Checkbox,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { type Body, call } from '../../common/client.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

type ActionBody = Body<'POST /api/disputes/:id/actions/:action'>;

interface Values {
  note?: string;
  target?: string;
  at?: Dayjs;
  place?: string;
  attendees?: string[];
  notes?: string;
  terms?: string[];
  performBy?: Dayjs;
  performance?: string;
  oral?: boolean;
  reason?: string;
  referralKind?: (typeof referralKinds)[number];
  unit?: string;
  performed?: (typeof performedValues)[number];
  days?: number;
}

/** The action's body from the modal's fields: only what that action's schema in core takes. */
function bodyOf(action: DisputeAction, v: Values): ActionBody {
  const note = v.note?.trim() ? { note: v.note.trim() } : {};
  switch (action) {
    case 'assign': {
      const [kind, id] = (v.target ?? '').split(':');
      return kind === 'm' ? { mediatorId: Number(id), ...note } : { committeeId: Number(id), ...note };
    }
    case 'session':
      return {
        at: (v.at ?? dayjs()).toISOString(),
        place: v.place?.trim() ?? '',
        attendees: v.attendees ?? [],
        notes: v.notes?.trim() ?? '',
      };
    case 'agree':
      return {
        terms: (v.terms ?? []).map((x) => x?.trim()).filter(Boolean) as string[],
        performBy: (v.performBy ?? dayjs()).format('YYYY-MM-DD'),
        ...(v.performance?.trim() ? { performance: v.performance.trim() } : {}),
        oral: v.oral === true,
      };
    case 'fail':
      return {
        reason: v.reason?.trim() ?? '',
        ...(v.referralKind ? { referral: { kind: v.referralKind, unit: v.unit?.trim() ?? '' } } : {}),
      };
    case 'followUp':
      return { performed: v.performed ?? 'yes', ...note };
    case 'extend':
      return { reason: v.reason?.trim() ?? '', days: v.days ?? 0 };
    default:
      return note;
  }
}

function AssignFields({ d }: { d: DisputeDetail }) {
  const { t } = useTranslation();
  const bodies = useQuery({
    queryKey: ['mediation-committees'],
    queryFn: () => call('GET /api/mediation-committees', { query: { orgUnitId: d.orgUnitId } }),
  });
  const options = (bodies.data?.items ?? []).map((c) => ({
    label: c.name,
    options: [
      { value: `c:${c.id}`, label: `${c.name}（${t('disputes.modal.committee')}）` },
      ...c.mediators.map((m) => ({
        value: `m:${m.id}`,
        label: `${m.name}${m.title ? ` · ${m.title}` : ''}`,
      })),
    ],
  }));
  return (
    <Form.Item name="target" label={t('disputes.modal.mediator')} rules={[{ required: true }]}>
      <Select
        showSearch={{ optionFilterProp: 'label' }}
        loading={bodies.isLoading}
        options={options}
        data-testid="assign-target"
      />
    </Form.Item>
  );
}

function Fields({ action, d }: { action: DisputeAction; d: DisputeDetail }) {
  const { t } = useTranslation();
  switch (action) {
    case 'assign':
      return <AssignFields d={d} />;
    case 'session':
      return (
        <>
          <Form.Item name="at" label={t('disputes.modal.at')} rules={[{ required: true }]}>
            <DatePicker showTime style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="place" label={t('disputes.modal.place')} rules={[{ required: true }]}>
            <Input maxLength={200} data-testid="session-place" />
          </Form.Item>
          <Form.Item name="attendees" label={t('disputes.modal.attendees')}>
            <Select mode="tags" placeholder={t('disputes.modal.attendeesHint')} open={false} />
          </Form.Item>
          <Form.Item name="notes" label={t('disputes.modal.notes')} rules={[{ required: true }]}>
            <Input.TextArea rows={4} maxLength={8000} data-testid="session-notes" />
          </Form.Item>
        </>
      );
    case 'agree':
      return (
        <>
          <Form.Item label={t('disputes.modal.terms')} required>
            <Form.List name="terms">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f, i) => (
                    <Space key={f.key} align="start" style={{ display: 'flex' }}>
                      <Form.Item
                        name={f.name}
                        rules={[{ required: true }]}
                        style={{ flex: 1, minWidth: 380 }}
                      >
                        <Input
                          placeholder={t('disputes.modal.term', { n: i + 1 })}
                          data-testid="agree-term"
                        />
                      </Form.Item>
                      {fields.length > 1 && (
                        <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} />
                      )}
                    </Space>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add('')}>
                    {t('disputes.modal.addTerm')}
                  </Button>
                </>
              )}
            </Form.List>
          </Form.Item>
          <Form.Item name="performBy" label={t('disputes.modal.performBy')} rules={[{ required: true }]}>
            <DatePicker
              style={{ width: '100%' }}
              disabledDate={(x) => x.isBefore(dayjs(), 'day')}
              data-testid="agree-perform-by"
            />
          </Form.Item>
          <Form.Item name="performance" label={t('disputes.modal.performance')}>
            <Input maxLength={1000} />
          </Form.Item>
          <Form.Item name="oral" valuePropName="checked">
            <Checkbox>{t('disputes.modal.oral')}</Checkbox>
          </Form.Item>
        </>
      );
    case 'fail':
      return (
        <>
          <Form.Item name="reason" label={t('disputes.modal.reason')} rules={[{ required: true, min: 2 }]}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
          <Form.Item name="referralKind" label={t('disputes.modal.referral')}>
            <Select
              allowClear
              options={referralKinds.map((k) => ({ value: k, label: t(`disputes.referrals.${k}`) }))}
            />
          </Form.Item>
          <Form.Item name="unit" label={t('disputes.modal.unit')}>
            <Input maxLength={200} />
          </Form.Item>
        </>
      );
    case 'followUp':
      return (
        <>
          <Form.Item name="performed" label={t('disputes.modal.performed')} rules={[{ required: true }]}>
            <Radio.Group
              options={performedValues.map((p) => ({ value: p, label: t(`disputes.performed.${p}`) }))}
              data-testid="follow-up-performed"
            />
          </Form.Item>
          <Form.Item name="note" label={t('disputes.modal.note')}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        </>
      );
    case 'extend':
      return (
        <>
          <Form.Item name="days" label={t('disputes.modal.days')} rules={[{ required: true }]}>
            <InputNumber min={1} max={30} />
          </Form.Item>
          <Form.Item name="reason" label={t('disputes.modal.reason')} rules={[{ required: true, min: 2 }]}>
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
        </>
      );
    default:
      return (
        <Form.Item name="note" label={t('disputes.modal.note')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      );
  }
}

/** One action of the dispute workflow: its fields, the server's field errors placed on them. */
export function DisputeActionModal(props: {
  d: DisputeDetail;
  action: DisputeAction | null;
  onClose: () => void;
  onDone: (d: DisputeDetail) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { action, d } = props;
  const { send, busy } = useFormSubmit(
    form,
    ({ action, v }: { action: DisputeAction; v: Values }) =>
      call('POST /api/disputes/:id/actions/:action', {
        params: { id: d.id, action },
        body: bodyOf(action, v),
      }),
    {
      success: (_, { action }) => t('disputes.detail.done', { action: t(`disputes.actions.${action}`) }),
      onDone: (r) => {
        form.resetFields();
        props.onDone(r);
      },
    },
  );
  const submit = (v: Values) => {
    if (action) void send({ action, v });
  };
  return (
    <Modal
      open={action !== null}
      title={action ? t(`disputes.actions.${action}`) : ''}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: busy, danger: action === 'fail', 'data-testid': 'action-ok' } as ButtonProps}
      destroyOnHidden
      width={action === 'agree' ? 640 : 520}
    >
      {action && (
        <Form<Values>
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ at: dayjs(), terms: [''], performed: 'yes' }}
          onFinish={submit}
        >
          <Fields action={action} d={d} />
        </Form>
      )}
    </Modal>
  );
}
