import { DeleteOutlined } from '@ant-design/icons';
import {
  formFieldTypes,
  materialForms,
  serviceFormField,
  serviceMaterial,
} from '@civicgrid/core/api/services';
import { Button, Col, Form, Input, InputNumber, Row, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { zodRule } from '../../common/zodRule.js';

export const blankMaterial = {
  form: 'original',
  copies: 1,
  required: true,
  waivable: false,
  note: null,
} as const;

/** The materials of an item: name, original or copy, copies, required, 容缺, note. */
/** The delete icon at the end of a material's or a form field's row. */
function RemoveRow({ onClick }: { onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <Button
      type="text"
      danger
      icon={<DeleteOutlined />}
      title={t('serviceDesk.catalogue.f.remove')}
      aria-label={t('serviceDesk.catalogue.f.remove')}
      onClick={onClick}
    />
  );
}

export function MaterialsList() {
  const { t } = useTranslation();
  return (
    <Form.List name="materials">
      {(fields, { add, remove }) => (
        <div data-testid="item-materials">
          {fields.map((f) => (
            <Row key={f.key} gutter={8} align="top" wrap={false} data-testid="item-material">
              <Col flex="220px">
                <Form.Item
                  name={[f.name, 'name']}
                  rules={[
                    {
                      required: true,
                      whitespace: true,
                      message: t('serviceDesk.catalogue.rules.materialName'),
                    },
                    zodRule(serviceMaterial.shape.name),
                  ]}
                >
                  <Input
                    placeholder={t('serviceDesk.catalogue.f.materialName')}
                    data-testid="item-material-name"
                  />
                </Form.Item>
              </Col>
              <Col flex="130px">
                <Form.Item name={[f.name, 'form']}>
                  <Select
                    options={materialForms.map((m) => ({
                      value: m,
                      label: t(`serviceDesk.catalogue.forms.${m}`),
                    }))}
                  />
                </Form.Item>
              </Col>
              <Col flex="90px">
                <Form.Item name={[f.name, 'copies']} rules={[zodRule(serviceMaterial.shape.copies.unwrap())]}>
                  <InputNumber min={1} max={20} suffix="份" style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col flex="70px">
                <Form.Item name={[f.name, 'required']} valuePropName="checked">
                  <Switch
                    checkedChildren={t('serviceDesk.catalogue.f.required')}
                    unCheckedChildren={t('serviceDesk.catalogue.f.required')}
                  />
                </Form.Item>
              </Col>
              <Col flex="80px">
                <Form.Item name={[f.name, 'waivable']} valuePropName="checked">
                  <Switch
                    checkedChildren={t('serviceDesk.catalogue.f.waivable')}
                    unCheckedChildren={t('serviceDesk.catalogue.f.waivable')}
                  />
                </Form.Item>
              </Col>
              <Col flex="auto">
                <Form.Item name={[f.name, 'note']}>
                  <Input placeholder={t('serviceDesk.catalogue.f.note')} maxLength={500} />
                </Form.Item>
              </Col>
              <Col>
                <RemoveRow onClick={() => remove(f.name)} />
              </Col>
            </Row>
          ))}
          <Button
            type="dashed"
            block
            onClick={() => add({ name: '', ...blankMaterial })}
            data-testid="item-add-material"
          >
            {t('serviceDesk.catalogue.f.addMaterial')}
          </Button>
        </div>
      )}
    </Form.List>
  );
}

/** The item's own form: a small schema of keyed fields (a choice lists its options). */
export function FormFieldsList() {
  const { t } = useTranslation();
  return (
    <Form.List name="formFields">
      {(fields, { add, remove }) => (
        <div>
          {fields.map((f) => (
            <Row key={f.key} gutter={8} align="top" wrap={false}>
              <Col flex="140px">
                <Form.Item
                  name={[f.name, 'key']}
                  rules={[
                    { required: true, message: t('serviceDesk.catalogue.rules.fieldKey') },
                    zodRule(serviceFormField.shape.key),
                  ]}
                >
                  <Input placeholder={t('serviceDesk.catalogue.f.fieldKey')} />
                </Form.Item>
              </Col>
              <Col flex="160px">
                <Form.Item
                  name={[f.name, 'label']}
                  rules={[
                    {
                      required: true,
                      whitespace: true,
                      message: t('serviceDesk.catalogue.rules.fieldLabel'),
                    },
                  ]}
                >
                  <Input placeholder={t('serviceDesk.catalogue.f.fieldLabel')} />
                </Form.Item>
              </Col>
              <Col flex="110px">
                <Form.Item name={[f.name, 'type']}>
                  <Select
                    options={formFieldTypes.map((x) => ({
                      value: x,
                      label: t(`serviceDesk.catalogue.fieldTypes.${x}`),
                    }))}
                  />
                </Form.Item>
              </Col>
              <Col flex="70px">
                <Form.Item name={[f.name, 'required']} valuePropName="checked">
                  <Switch
                    checkedChildren={t('serviceDesk.catalogue.f.required')}
                    unCheckedChildren={t('serviceDesk.catalogue.f.required')}
                  />
                </Form.Item>
              </Col>
              <Col flex="auto">
                <Form.Item noStyle dependencies={[['formFields', f.name, 'type']]}>
                  {({ getFieldValue }) =>
                    getFieldValue(['formFields', f.name, 'type']) === 'choice' && (
                      <Form.Item
                        name={[f.name, 'options']}
                        rules={[
                          {
                            validator: async (_, v: string[] | undefined) => {
                              if (new Set(v ?? []).size < 2)
                                throw new Error(t('serviceDesk.catalogue.rules.options'));
                            },
                          },
                        ]}
                      >
                        <Select
                          mode="tags"
                          open={false}
                          placeholder={t('serviceDesk.catalogue.f.optionsHint')}
                        />
                      </Form.Item>
                    )
                  }
                </Form.Item>
              </Col>
              <Col>
                <RemoveRow onClick={() => remove(f.name)} />
              </Col>
            </Row>
          ))}
          <Button
            type="dashed"
            block
            onClick={() => add({ key: '', label: '', type: 'text', required: false })}
          >
            {t('serviceDesk.catalogue.f.addField')}
          </Button>
        </div>
      )}
    </Form.List>
  );
}
