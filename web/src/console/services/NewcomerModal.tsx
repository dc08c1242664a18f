import { residenceTypes } from '@civicgrid/core/api/residents';
import { windowRelations, windowResidentInput } from '@civicgrid/core/api/services';
import { useQuery } from '@tanstack/react-query';
import { App, Form, Input, Modal, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage, fieldMessage } from '../../common/api.js';
import { call, type Reply } from '../../common/client.js';
import { zodRule } from '../../common/zodRule.js';

export type Newcomer = Reply<'POST /api/service-window/residents'>;

interface Values {
  name: string;
  phone?: string;
  residenceType: (typeof residenceTypes)[number];
  housingUnitId?: number;
  relationToHead?: (typeof windowRelations)[number];
}

/**
 * 窗口登记新居民: an ID number the resident file does not know is registered on the spot —
 * name, phone, the dwelling of the window's area and the relation to its household's head —
 * and the intake goes on with the person.
 */
export function NewcomerModal({
  idNumber,
  name,
  phone,
  onClose,
  onDone,
}: {
  idNumber: string;
  name?: string;
  phone?: string;
  onClose: () => void;
  onDone: (r: Newcomer, phone?: string) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [q, setQ] = useState('');
  const [busy, setBusy] = useState(false);
  const dwellings = useQuery({
    queryKey: ['windowDwellings', q],
    queryFn: () => call('GET /api/service-window/dwellings', { query: { q } }),
  });
  const unitId = Form.useWatch('housingUnitId', form);
  const chosen = dwellings.data?.items.find((d) => d.housingUnitId === unitId);

  const save = async (v: Values) => {
    if (v.housingUnitId === undefined || v.relationToHead === undefined) return;
    setBusy(true);
    try {
      const made = await call('POST /api/service-window/residents', {
        body: {
          idNumber,
          name: v.name.trim(),
          ...(v.phone ? { phone: v.phone.trim() } : {}),
          residenceType: v.residenceType,
          housingUnitId: v.housingUnitId,
          relationToHead: v.relationToHead,
        },
      });
      onDone(made, v.phone?.trim() || undefined);
    } catch (e) {
      const known = new Set(['name', 'phone', 'housingUnitId', 'relationToHead', 'residenceType']);
      const fields =
        e instanceof ApiError
          ? e.errors
              .filter((x) => known.has(x.field))
              .map((x) => ({ name: x.field as keyof Values, errors: [fieldMessage(x)] }))
          : [];
      if (fields.length) form.setFields(fields);
      else message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('serviceDesk.newcomer.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('serviceDesk.newcomer.submit')}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'newcomer-submit' }}
      width={620}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={{ name, phone, residenceType: 'registered' }}
        data-testid="newcomer-form"
      >
        <Form.Item label={t('serviceDesk.newcomer.idNumber')}>
          <Typography.Text code data-testid="newcomer-id">
            {idNumber}
          </Typography.Text>
        </Form.Item>
        <Space.Compact block>
          <Form.Item
            name="name"
            label={t('serviceDesk.newcomer.name')}
            style={{ width: '50%', paddingRight: 8 }}
            rules={[
              { required: true, whitespace: true, message: t('serviceDesk.newcomer.nameRequired') },
              zodRule(windowResidentInput.shape.name),
            ]}
          >
            <Input maxLength={40} data-testid="newcomer-name" />
          </Form.Item>
          <Form.Item
            name="phone"
            label={t('serviceDesk.newcomer.phone')}
            style={{ width: '50%' }}
            rules={[
              zodRule(windowResidentInput.shape.phone.unwrap(), t('serviceDesk.newcomer.phoneInvalid')),
            ]}
          >
            <Input maxLength={11} data-testid="newcomer-phone" />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="residenceType" label={t('serviceDesk.newcomer.residenceType')}>
          <Select
            options={residenceTypes.map((r) => ({ value: r, label: t(`residents.residenceTypes.${r}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="housingUnitId"
          label={t('serviceDesk.newcomer.dwelling')}
          rules={[{ required: true, message: t('serviceDesk.newcomer.dwellingRequired') }]}
        >
          <Select
            showSearch={{ filterOption: false, onSearch: setQ }}
            loading={dwellings.isFetching}
            placeholder={t('serviceDesk.newcomer.dwellingPlaceholder')}
            notFoundContent={dwellings.isFetching ? null : t('common.empty')}
            options={(dwellings.data?.items ?? []).map((d) => ({
              value: d.housingUnitId,
              label: (
                <Space size={4}>
                  <span>{d.address}</span>
                  <Typography.Text type="secondary">{d.gridName}</Typography.Text>
                  <Tag>
                    {d.members
                      ? t('serviceDesk.newcomer.members', { count: d.members })
                      : t('serviceDesk.newcomer.noHousehold')}
                  </Tag>
                </Space>
              ),
            }))}
            data-testid="newcomer-dwelling"
          />
        </Form.Item>
        <Form.Item
          name="relationToHead"
          label={t('serviceDesk.newcomer.relation')}
          rules={[{ required: true, message: t('serviceDesk.newcomer.relationRequired') }]}
        >
          <Select
            options={windowRelations.map((r) => ({
              value: r,
              label: r,
              // One head per household: 户主 is offered only where there is none.
              disabled: r === '户主' && !!chosen?.hasHead,
            }))}
            data-testid="newcomer-relation"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
