import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { disputeSources, disputeTypes, riskLevels } from '@civicgrid/core/api/disputes';
import { Alert, Button, Card, Form, Input, Radio, Select, Space } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { type Body, call } from '../../common/client.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

type DisputeBody = Body<'POST /api/disputes'>;
type Party = DisputeBody['parties'][number];
interface Values {
  type: DisputeBody['type'];
  description: string;
  parties: Party[];
  riskLevel: DisputeBody['riskLevel'];
  source: DisputeBody['source'];
}

/** 登记矛盾纠纷: type, facts, both sides, risk and source; one idempotency key per form. */
export default function DisputeFormPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const key = useMemo(() => crypto.randomUUID(), []);
  const receptionId = params.get('receptionId') ?? undefined;
  const risk = Form.useWatch('riskLevel', form);
  const { send: save, busy: saving } = useFormSubmit(
    form,
    (v: Values) =>
      call('POST /api/disputes', {
        body: {
          ...v,
          parties: v.parties.map((p) => ({
            ...p,
            idNumber: p.idNumber?.trim() || undefined,
            phone: p.phone?.trim() || undefined,
          })),
          idempotencyKey: key,
          ...(receptionId ? { receptionId } : {}),
        },
      }),
    {
      success: (r) => t('disputes.form.saved', { code: r.code }),
      onDone: (r) => navigate(`/governance/disputes/${r.id}`),
    },
  );
  return (
    <Card title={t('disputes.form.title')} data-testid="dispute-form">
      <Form<Values>
        form={form}
        layout="vertical"
        style={{ maxWidth: 860 }}
        initialValues={{
          riskLevel: 'yellow',
          source: receptionId ? 'reception' : 'walk_in',
          parties: [
            { kind: 'person', role: 'applicant', name: params.get('name') ?? '' },
            { kind: 'person', role: 'respondent', name: '' },
          ],
          description: params.get('matter') ?? '',
        }}
        onFinish={save}
      >
        <Space size={16} wrap>
          <Form.Item name="type" label={t('disputes.form.type')} rules={[{ required: true }]}>
            <Select
              style={{ width: 180 }}
              options={disputeTypes.map((v) => ({ value: v, label: t(`disputes.types.${v}`) }))}
              data-testid="dispute-type"
            />
          </Form.Item>
          <Form.Item name="source" label={t('disputes.form.source')} rules={[{ required: true }]}>
            <Select
              style={{ width: 160 }}
              options={disputeSources.map((v) => ({ value: v, label: t(`disputes.sources.${v}`) }))}
            />
          </Form.Item>
          <Form.Item name="riskLevel" label={t('disputes.form.risk')} rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              options={riskLevels.map((v) => ({ value: v, label: t(`disputes.risks.${v}`) }))}
              data-testid="dispute-risk"
            />
          </Form.Item>
        </Space>
        {risk === 'red' && (
          <Alert type="error" showIcon title={t('disputes.form.redHint')} style={{ marginBottom: 16 }} />
        )}
        <Form.Item
          name="description"
          label={t('disputes.form.description')}
          rules={[{ required: true, min: 2 }]}
        >
          <Input.TextArea rows={4} maxLength={4000} showCount data-testid="dispute-description" />
        </Form.Item>
        <Form.Item label={t('disputes.form.parties')} required>
          <Form.List name="parties">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="start" wrap data-testid="dispute-party">
                    <Form.Item name={[f.name, 'role']} rules={[{ required: true }]}>
                      <Select
                        style={{ width: 110 }}
                        options={[
                          { value: 'applicant', label: t('disputes.form.applicant') },
                          { value: 'respondent', label: t('disputes.form.respondent') },
                        ]}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'kind']} rules={[{ required: true }]}>
                      <Select
                        style={{ width: 100 }}
                        options={[
                          { value: 'person', label: t('disputes.form.person') },
                          { value: 'organization', label: t('disputes.form.organization') },
                        ]}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'name']} rules={[{ required: true }]}>
                      <Input
                        placeholder={t('disputes.form.name')}
                        style={{ width: 160 }}
                        data-testid="party-name"
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'idNumber']}>
                      <Input
                        placeholder={t('disputes.form.idNumber')}
                        style={{ width: 200 }}
                        maxLength={18}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'phone']}>
                      <Input placeholder={t('disputes.form.phone')} style={{ width: 140 }} maxLength={11} />
                    </Form.Item>
                    {fields.length > 2 && (
                      <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} />
                    )}
                  </Space>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ kind: 'person', role: 'respondent', name: '' })}
                >
                  {t('disputes.form.addParty')}
                </Button>
              </>
            )}
          </Form.List>
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="dispute-submit">
          {t('disputes.form.submit')}
        </Button>
      </Form>
    </Card>
  );
}
