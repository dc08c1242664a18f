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
import { ApiError, errorMessage, get, put } from '../../common/api.js';
import { QueryState } from '../../common/QueryState.js';

interface RulesReply {
  districtId: number;
  districtName: string;
  rules: AssessmentRules;
  isDefault: boolean;
  updatedAt: string | null;
  updatedByName: string | null;
}

/** 计分规则: the district's scoring weights, caps and penalties, and the department evaluation weights. */
export default function RulesPage() {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<AssessmentRules>();
  const data = useQuery({
    queryKey: ['assessment-rules'],
    queryFn: () => get<RulesReply>('/api/assessment/rules'),
  });
  useEffect(() => {
    if (data.data) form.setFieldsValue(data.data.rules);
  }, [data.data, form]);
  const save = useMutation({
    mutationFn: (rules: AssessmentRules) =>
      put<RulesReply>('/api/assessment/rules', { districtId: data.data?.districtId, rules }),
    onSuccess: (r) => {
      qc.setQueryData(['assessment-rules'], r);
      qc.invalidateQueries({ queryKey: ['scorecard'] });
      message.success('计分规则已保存，考核计分即按新规则计算');
    },
    // The server names fields as rules.worker.… — the message says which rule, in Chinese.
    onError: (e) =>
      message.error(e instanceof ApiError && e.errors[0] ? e.errors[0].message : errorMessage(e)),
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
              计分规则
              <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
                {data.data?.districtName}
              </Typography.Text>
              {data.data?.isDefault ? (
                <Tag>系统默认</Tag>
              ) : (
                <Tag color="blue">
                  {data.data?.updatedByName} 于 {data.data?.updatedAt?.slice(0, 10)} 修改
                </Tag>
              )}
            </Space>
          }
          extra={
            <Space>
              <Button icon={<UndoOutlined />} onClick={() => form.setFieldsValue(defaultAssessmentRules)}>
                填入默认值
              </Button>
              <Popconfirm
                title="保存计分规则？"
                description="保存后，本区各时段的考核计分都按新规则计算。"
                okText="保存"
                cancelText="取消"
                onConfirm={() => form.submit()}
              >
                <Button type="primary" icon={<SaveOutlined />} loading={save.isPending}>
                  保存
                </Button>
              </Popconfirm>
            </Space>
          }
        >
          <Typography.Paragraph type="secondary">
            网格员得分＝各加分项（数量×每项分值，不超过上限）之和减去扣分项。上限按月设定，周讲评按
            7/30、季总结按 3 倍、年奖惩按 12 倍折算；不填上限即不封顶。
          </Typography.Paragraph>
          <Table
            rowKey="key"
            size="small"
            pagination={false}
            dataSource={workerItems}
            columns={[
              {
                title: '考核项',
                dataIndex: 'label',
                width: 120,
                render: (l: string, i) => (
                  <Space>
                    {l}
                    <Tag color={i.kind === 'bonus' ? 'green' : 'red'}>
                      {i.kind === 'bonus' ? '加分' : '扣分'}
                    </Tag>
                  </Space>
                ),
              },
              { title: '计数口径', dataIndex: 'counts' },
              {
                title: '每单位分值',
                width: 150,
                render: (_, i) => (
                  <Form.Item
                    name={['worker', i.key, 'points']}
                    noStyle
                    rules={[{ required: true, message: '请填写分值' }]}
                  >
                    <InputNumber
                      min={0}
                      max={1000}
                      step={0.5}
                      addonAfter={`/${i.unit}`}
                      style={{ width: 130 }}
                    />
                  </Form.Item>
                ),
              },
              {
                title: '每月上限（分）',
                width: 150,
                render: (_, i) =>
                  i.kind === 'bonus' ? (
                    <Form.Item name={['worker', i.key, 'monthlyCap']} noStyle>
                      <InputNumber min={0} max={10000} placeholder="不封顶" style={{ width: 120 }} />
                    </Form.Item>
                  ) : (
                    <Typography.Text type="secondary">不封顶</Typography.Text>
                  ),
              },
            ]}
          />
        </Card>
        <Card title="职能部门考核与评议" style={{ marginTop: 16 }}>
          <Row gutter={24}>
            <Col span={10}>
              <Typography.Title level={5}>办件考核（满分 100）</Typography.Title>
              <Space wrap>
                <Form.Item label="按时办结率权重" name={['department', 'onTimeWeight']}>
                  <InputNumber min={0} max={100} />
                </Form.Item>
                <Form.Item label="落实到位率权重" name={['department', 'fulfilmentWeight']}>
                  <InputNumber min={0} max={100} />
                </Form.Item>
                <Form.Item label="每件退回扣分" name={['department', 'returnPenalty']}>
                  <InputNumber min={0} max={100} step={0.5} />
                </Form.Item>
                <Form.Item label="每件超期扣分" name={['department', 'overduePenalty']}>
                  <InputNumber min={0} max={100} step={0.5} />
                </Form.Item>
              </Space>
            </Col>
            <Col span={14}>
              <Typography.Title level={5}>
                综合评议权重{' '}
                <Typography.Text type={weightSum === 100 ? 'success' : 'danger'} style={{ fontSize: 13 }}>
                  合计 {weightSum}（须为 100）
                </Typography.Text>
              </Typography.Title>
              <Space wrap>
                {departmentComponents.map((c) => (
                  <Form.Item
                    key={c.key}
                    label={c.label}
                    name={['department', 'weights', c.key]}
                    tooltip={c.source}
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
