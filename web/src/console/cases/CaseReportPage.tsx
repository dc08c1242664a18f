import type { CaseSummary } from '@civicgrid/core/api/cases';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Form, Input, Radio, Row, Space, TreeSelect, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { applyFieldErrors, errorMessage, get, post } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { CaseMap } from './CaseMap.js';
import { PhotoUpload } from './PhotoUpload.js';
import { categoryTree, useCategories, useGridsOf } from './shared.js';

interface Values {
  categoryCode: string;
  description: string;
  channel: 'walk_in' | 'hotline_12345';
  address?: string;
  reporterName?: string;
  reporterPhone?: string;
  attachmentIds?: string[];
}

/** 登记事件: a walk-in or a phone call, placed on the map or by address. */
export default function CaseReportPage() {
  const [form] = Form.useForm<Values>();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const categories = useCategories();
  const { me } = useAuth();
  const grids = useGridsOf(me?.jurisdiction.orgUnitId);
  const [point, setPoint] = useState<{ lat: number; lng: number } | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per opened form: a double click or a retry after a lost reply makes one case.
  const [key] = useState(() => crypto.randomUUID());
  const categoryCode = Form.useWatch('categoryCode', form);
  const tree = useMemo(() => categoryTree(categories.data?.items ?? [], true), [categories.data]);
  const duplicates = useQuery({
    queryKey: ['duplicates', point?.lat, point?.lng, categoryCode],
    queryFn: () =>
      get<{ items: { id: string; code: string; description: string; distanceM: number }[] }>(
        `/api/cases/duplicates?lat=${point?.lat}&lng=${point?.lng}&categoryCode=${categoryCode}`,
      ),
    enabled: Boolean(point && categoryCode),
  });

  const submit = async (v: Values) => {
    setBusy(true);
    try {
      const created = await post<CaseSummary>('/api/cases', {
        description: v.description,
        categoryCode: v.categoryCode,
        channel: v.channel,
        ...(point ? { location: point } : {}),
        ...(v.address ? { address: v.address } : {}),
        ...(v.reporterName || v.reporterPhone
          ? {
              reporter: {
                ...(v.reporterName ? { name: v.reporterName } : {}),
                ...(v.reporterPhone ? { phone: v.reporterPhone } : {}),
              },
            }
          : {}),
        ...(v.attachmentIds?.length ? { attachmentIds: v.attachmentIds } : {}),
        idempotencyKey: key,
      });
      message.success(`已登记 ${created.code}`);
      navigate(`/cases/${created.id}`, { replace: true });
    } catch (e) {
      const mapped = applyFieldErrors(form, e);
      if (!mapped) message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="登记事件" extra={<Button onClick={() => navigate('/cases')}>返回事件中心</Button>}>
      <Row gutter={24}>
        <Col xs={24} lg={11}>
          <Form form={form} layout="vertical" onFinish={submit} initialValues={{ channel: 'walk_in' }}>
            <Form.Item name="channel" label="来源">
              <Radio.Group
                options={[
                  { value: 'walk_in', label: '窗口来访' },
                  { value: 'hotline_12345', label: '12345热线' },
                ]}
              />
            </Form.Item>
            <Form.Item
              name="categoryCode"
              label="事件分类"
              rules={[{ required: true, message: '请选择事件分类' }]}
            >
              <TreeSelect
                showSearch
                treeNodeFilterProp="title"
                treeData={tree}
                placeholder="输入关键词搜索，如 路灯、垃圾、纠纷"
                loading={categories.isLoading}
                data-testid="report-category"
              />
            </Form.Item>
            <Form.Item
              name="description"
              label="问题描述"
              rules={[
                { required: true, message: '请描述问题' },
                { min: 2, message: '请描述问题（至少2个字）' },
              ]}
            >
              <Input.TextArea rows={4} maxLength={2000} showCount data-testid="report-description" />
            </Form.Item>
            <Form.Item
              name="address"
              label="地址"
              extra="可在右侧地图上点选位置；未选点时以地址登记到本单位"
              rules={[
                {
                  validator: async (_r, v) =>
                    v || point ? undefined : Promise.reject(new Error('请在地图上选点或填写地址')),
                },
              ]}
            >
              <Input maxLength={200} data-testid="report-address" />
            </Form.Item>
            <Space.Compact block>
              <Form.Item name="reporterName" label="反映人" style={{ width: '40%' }}>
                <Input maxLength={40} />
              </Form.Item>
              <Form.Item
                name="reporterPhone"
                label="联系电话"
                style={{ width: '60%' }}
                rules={[
                  { pattern: /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, message: '请输入正确的手机号或固定电话' },
                ]}
              >
                <Input maxLength={20} />
              </Form.Item>
            </Space.Compact>
            <Form.Item name="attachmentIds" label="照片（最多 9 张，JPEG/PNG/WebP，每张不超过 10 MB）">
              <PhotoUpload testId="report-photos" />
            </Form.Item>
            {duplicates.data && duplicates.data.items.length > 0 && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 16 }}
                message="附近已有同类未办结事件，请确认是否重复"
                description={duplicates.data.items.map((d) => (
                  <div key={d.id}>
                    {d.code}：{d.description}（{d.distanceM} 米）
                  </div>
                ))}
              />
            )}
            <Button type="primary" htmlType="submit" loading={busy} data-testid="report-submit">
              提交登记
            </Button>
          </Form>
        </Col>
        <Col xs={24} lg={13}>
          <Typography.Paragraph type="secondary">
            {point
              ? `已选位置：${point.lat.toFixed(6)}, ${point.lng.toFixed(6)}（点击地图可调整）`
              : '点击地图标注事发位置'}
          </Typography.Paragraph>
          <CaseMap marker={point} onPick={setPoint} height={520} areas={grids.data?.items} />
        </Col>
      </Row>
    </Card>
  );
}
