import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type { AgendaItem } from '@civicgrid/core/api/briefings';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, DatePicker, Form, Input, Modal, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

interface Values {
  title: string;
  heldOn: Dayjs;
  attendees: string;
  minutes?: string;
  decisions: { text: string; departmentId: number; dueOn: Dayjs }[];
}

/**
 * 召开会商: the meeting of the user's unit on the agenda the platform drew up; each decision
 * goes to a department with a deadline and becomes a supervised task (督办).
 */
export function BriefingModal({
  open,
  agenda,
  onClose,
}: {
  open: boolean;
  agenda: AgendaItem[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const departments = useQuery({
    queryKey: ['departments'],
    queryFn: () => call('GET /api/departments'),
    enabled: open,
  });
  const deptOptions = (
    (departments.data as { items?: { id: number; name: string }[] } | undefined)?.items ?? []
  ).map((d) => ({
    value: d.id,
    label: d.name,
  }));
  const { send, busy } = useFormSubmit(
    form,
    ({ orgUnitId, v }: { orgUnitId: number; v: Values }) =>
      call('POST /api/briefings', {
        body: {
          orgUnitId,
          title: v.title,
          heldOn: v.heldOn.format('YYYY-MM-DD'),
          attendees: v.attendees,
          minutes: v.minutes ?? '',
          agenda,
          decisions: v.decisions.map((d) => ({
            text: d.text,
            departmentId: d.departmentId,
            dueOn: d.dueOn.format('YYYY-MM-DD'),
          })),
        },
      }),
    {
      onDone: async () => {
        await qc.invalidateQueries({ queryKey: ['briefings'] });
        form.resetFields();
        onClose();
      },
    },
  );
  const submit = (v: Values) => {
    const orgUnitId = me?.jurisdiction.orgUnitId;
    if (orgUnitId) void send({ orgUnitId, v });
  };
  return (
    <Modal
      open={open}
      width={720}
      title={t('gov.briefing.hold')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ heldOn: dayjs(), decisions: [{ dueOn: dayjs().add(7, 'day') }] }}
        data-testid="briefing-form"
      >
        <Form.Item name="title" label={t('gov.briefing.title')} rules={[{ required: true, min: 2 }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="heldOn" label={t('gov.briefing.heldOn')} rules={[{ required: true }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="attendees" label={t('gov.briefing.attendees')} rules={[{ required: true, min: 2 }]}>
          <Input maxLength={2000} />
        </Form.Item>
        <Form.Item name="minutes" label={t('gov.briefing.minutes')}>
          <Input.TextArea rows={3} maxLength={20000} />
        </Form.Item>
        <Form.List name="decisions">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap>
                  <Form.Item name={[f.name, 'text']} rules={[{ required: true, min: 2 }]}>
                    <Input placeholder={t('gov.briefing.decision')} style={{ width: 300 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'departmentId']} rules={[{ required: true }]}>
                    <Select
                      placeholder={t('gov.briefing.owner')}
                      style={{ width: 140 }}
                      options={deptOptions}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'dueOn']} rules={[{ required: true }]}>
                    <DatePicker />
                  </Form.Item>
                  {fields.length > 1 && <MinusCircleOutlined onClick={() => remove(f.name)} />}
                </Space>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({ dueOn: dayjs().add(7, 'day') })}
              >
                {t('gov.briefing.addDecision')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
