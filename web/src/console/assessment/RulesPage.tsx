import { SaveOutlined, UndoOutlined } from '@ant-design/icons';
import {
  type AssessmentRules,
  defaultAssessmentRules,
  departmentComponents,
  workerItems,
} from '@civicgrid/core/assessment/rules';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  Form,
  InputNumber,
  Popconfirm,
  Row,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage, fieldMessage } from '../../common/api.js';
import { call } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';

/** 计分规则: the district's scoring weights, caps and penalties, and the department evaluation weights. */
export default function RulesPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en-US';
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<AssessmentRules>();
  const data = useQuery({
    queryKey: ['assessment-rules'],
    queryFn: () => call('GET /api/assessment/rules'),
  });
  useEffect(() => {
    if (data.data) form.setFieldsValue(data.data.rules);
  }, [data.data, form]);
  const save = useMutation({
    mutationFn: (rules: AssessmentRules) =>
      call('PUT /api/assessment/rules', { body: { districtId: data.data?.districtId as number, rules } }),
    onSuccess: (r) => {
      qc.setQueryData(['assessment-rules'], r);
      qc.invalidateQueries({ queryKey: ['scorecard'] });
      message.success(t('assessment.rules.saved'));
    },
    // The server names fields as rules.worker.…: the message says which rule.
    onError: (e) =>
      message.error(e instanceof ApiError && e.errors[0] ? fieldMessage(e.errors[0]) : errorMessage(e)),
  });
  const weights = Form.useWatch(['department', 'weights'], form);
  const weightSum = weights ? Object.values(weights).reduce((a, b) => a + (Number(b) || 0), 0) : 0;

  return (
    <QueryState loading={data.isLoading} error={data.error} onRetry={() => data.refetch()}>
      {/* Penalties have no cap field on screen: the whole rule set is sent, not only the fields shown. */}
      <Form
        form={form}
        layout="vertical"
        onFinish={() => save.mutate(form.getFieldsValue(true) as AssessmentRules)}
        requiredMark={false}
      >
        <Card
          title={
            <Space>
              {t('assessment.rules.title')}
              <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
                {data.data?.districtName}
              </Typography.Text>
              {data.data?.isDefault ? (
                <Tag>{t('assessment.rules.isDefault')}</Tag>
              ) : (
                <Tag color="blue">
                  {t('assessment.rules.changed', {
                    name: data.data?.updatedByName,
                    date: data.data?.updatedAt?.slice(0, 10),
                  })}
                </Tag>
              )}
            </Space>
          }
          extra={
            <Space>
              <Button icon={<UndoOutlined />} onClick={() => form.setFieldsValue(defaultAssessmentRules)}>
                {t('assessment.rules.fillDefaults')}
              </Button>
              <Popconfirm
                title={t('assessment.rules.confirmTitle')}
                description={t('assessment.rules.confirmText')}
                okText={t('common.save')}
                cancelText={t('common.cancel')}
                onConfirm={() => form.submit()}
              >
                <Button type="primary" icon={<SaveOutlined />} loading={save.isPending}>
                  {t('common.save')}
                </Button>
              </Popconfirm>
            </Space>
          }
        >
          <Typography.Paragraph type="secondary">{t('assessment.rules.intro')}</Typography.Paragraph>
          <Table
            rowKey="key"
            size="small"
            pagination={false}
            dataSource={workerItems}
            columns={[
              {
                title: t('assessment.rules.item'),
                dataIndex: 'label',
                // English labels are longer: the item and its tag on one line.
                width: en ? 200 : 120,
                render: (l: string, i) => (
                  <Space>
                    {en ? i.labelEn : l}
                    <Tag color={i.kind === 'bonus' ? 'green' : 'red'}>
                      {t(i.kind === 'bonus' ? 'assessment.rules.bonus' : 'assessment.rules.penalty')}
                    </Tag>
                  </Space>
                ),
              },
              {
                title: t('assessment.rules.counts'),
                dataIndex: 'counts',
                render: (c: string, i) => t(`assessment.itemCounts.${i.key}`, { defaultValue: c }),
              },
              {
                title: t('assessment.rules.pointsPerUnit'),
                width: 150,
                render: (_, i) => (
                  <Form.Item
                    name={['worker', i.key, 'points']}
                    noStyle
                    rules={[{ required: true, message: t('assessment.rules.pointsRequired') }]}
                  >
                    <InputNumber
                      min={0}
                      max={1000}
                      step={0.5}
                      addonAfter={`/${t(`assessment.itemUnits.${i.key}`, { defaultValue: i.unit })}`}
                      style={{ width: 130 }}
                    />
                  </Form.Item>
                ),
              },
              {
                title: t('assessment.rules.monthlyCap'),
                width: 150,
                render: (_, i) =>
                  i.kind === 'bonus' ? (
                    <Form.Item name={['worker', i.key, 'monthlyCap']} noStyle>
                      <InputNumber
                        min={0}
                        max={10000}
                        placeholder={t('assessment.rules.noCap')}
                        style={{ width: 120 }}
                      />
                    </Form.Item>
                  ) : (
                    <Typography.Text type="secondary">{t('assessment.rules.noCap')}</Typography.Text>
                  ),
              },
            ]}
          />
        </Card>
        <Card title={t('assessment.rules.department')} style={{ marginTop: 16 }}>
          <Row gutter={24}>
            <Col span={10}>
              <Typography.Title level={5}>{t('assessment.rules.caseWork')}</Typography.Title>
              <Space wrap>
                <Form.Item label={t('assessment.rules.onTimeWeight')} name={['department', 'onTimeWeight']}>
                  <InputNumber min={0} max={100} />
                </Form.Item>
                <Form.Item
                  label={t('assessment.rules.fulfilmentWeight')}
                  name={['department', 'fulfilmentWeight']}
                >
                  <InputNumber min={0} max={100} />
                </Form.Item>
                <Form.Item label={t('assessment.rules.returnPenalty')} name={['department', 'returnPenalty']}>
                  <InputNumber min={0} max={100} step={0.5} />
                </Form.Item>
                <Form.Item
                  label={t('assessment.rules.overduePenalty')}
                  name={['department', 'overduePenalty']}
                >
                  <InputNumber min={0} max={100} step={0.5} />
                </Form.Item>
                <Form.Item
                  label={t('assessment.rules.whistlePenalty')}
                  name={['department', 'whistlePenalty']}
                >
                  <InputNumber min={0} max={100} step={0.5} />
                </Form.Item>
                <Form.Item
                  label={t('assessment.rules.propertyPenalty')}
                  name={['department', 'propertyPenalty']}
                  tooltip={t('assessment.rules.propertyPenaltyHint')}
                >
                  <InputNumber min={0} max={100} step={0.5} data-testid="rules-property-penalty" />
                </Form.Item>
              </Space>
            </Col>
            <Col span={14}>
              <Typography.Title level={5}>
                {t('assessment.rules.weights')}{' '}
                <Typography.Text type={weightSum === 100 ? 'success' : 'danger'} style={{ fontSize: 13 }}>
                  {t('assessment.rules.weightSum', { sum: weightSum })}
                </Typography.Text>
              </Typography.Title>
              <Space wrap>
                {departmentComponents.map((c) => (
                  <Form.Item
                    key={c.key}
                    label={en ? c.labelEn : c.label}
                    name={['department', 'weights', c.key]}
                    tooltip={t(`assessment.componentSources.${c.key}`, { defaultValue: c.source })}
                  >
                    <InputNumber min={0} max={100} />
                  </Form.Item>
                ))}
              </Space>
            </Col>
          </Row>
        </Card>
      </Form>
    </QueryState>
  );
}
