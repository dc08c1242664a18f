import { type ApplicationDetail, badRatingFrom, ratingLevelNames } from '@civicgrid/core/api/services';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, Input, Radio, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../common/api.js';
import { useAuth } from '../../common/auth.js';
import { call } from '../../common/client.js';
import { fmt } from '../cases/shared.js';
import { useFormSubmit } from '../common/useFormSubmit.js';

const ended: readonly ApplicationDetail['status'][] = ['issued', 'collected', 'rejected'];

/**
 * 好差评 of an ended application: the rating when there is one (its channel, and the
 * rectification a bad one opened); otherwise the window's staff record the phone follow-up
 * (电话回访) on the five levels — a bad one opens the rectification as the online rating does.
 */
export function RatingCard({ a }: { a: ApplicationDetail }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ level: number; comment?: string }>();
  const level = Form.useWatch('level', form);
  const show = ended.includes(a.status);
  const rating = useQuery({
    queryKey: ['application', a.id, 'rating'],
    enabled: show,
    retry: false,
    // Not rated yet is a 404: nothing to show but the follow-up form.
    queryFn: () =>
      call('GET /api/applications/:id/rating', { params: { id: a.id } }).catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }),
  });
  const { send: save, busy } = useFormSubmit(
    form,
    (v: { level: number; comment?: string }) =>
      call('POST /api/applications/:id/rating', {
        params: { id: a.id },
        body: { level: v.level, comment: v.comment?.trim() || undefined, channel: 'phone' },
      }),
    {
      success: t('serviceDesk.followUp.saved'),
      onDone: (saved) => {
        qc.setQueryData(['application', a.id, 'rating'], saved);
        void qc.invalidateQueries({ queryKey: ['application', a.id] });
      },
    },
  );
  if (!show || rating.isLoading) return null;
  const r = rating.data;

  return (
    <Card
      size="small"
      title={t(r ? 'serviceDesk.followUp.rated' : 'serviceDesk.followUp.title')}
      data-testid="application-rating"
      style={{ marginBottom: 16 }}
    >
      {r ? (
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('serviceDesk.followUp.level')}>
            <Space>
              <Tag
                color={r.level >= badRatingFrom ? 'red' : r.level <= 2 ? 'green' : 'blue'}
                data-testid="rating-level"
              >
                {r.levelName}
              </Tag>
              <Typography.Text type="secondary">
                {t(`serviceDesk.followUp.channel.${r.channel}`)} · {fmt(r.ratedAt)}
              </Typography.Text>
            </Space>
          </Descriptions.Item>
          {r.comment && (
            <Descriptions.Item label={t('serviceDesk.followUp.comment')}>{r.comment}</Descriptions.Item>
          )}
          {r.rectification && (
            <Descriptions.Item label={t('serviceDesk.followUp.rectification')}>
              {r.rectification.rectifiedAt ? (
                <Tag color="green">{t('serviceDesk.followUp.rectified')}</Tag>
              ) : (
                <Tag color={r.rectification.overdue ? 'red' : 'orange'} data-testid="rating-rectification">
                  {t('serviceDesk.followUp.rectifyBy', { date: fmt(r.rectification.rectifyBy) })}
                </Tag>
              )}
            </Descriptions.Item>
          )}
        </Descriptions>
      ) : can('application:intake') ? (
        <Form form={form} layout="vertical" onFinish={save} data-testid="follow-up-form">
          <Form.Item
            name="level"
            label={t('serviceDesk.followUp.level')}
            rules={[{ required: true, message: t('serviceDesk.followUp.levelRequired') }]}
          >
            <Radio.Group
              optionType="button"
              options={ratingLevelNames.map((name, i) => ({ value: i + 1, label: name }))}
              data-testid="follow-up-level"
            />
          </Form.Item>
          {level !== undefined && level >= badRatingFrom && (
            <Alert
              type="warning"
              showIcon
              title={t('serviceDesk.followUp.badNotice')}
              style={{ marginBottom: 12 }}
            />
          )}
          <Form.Item name="comment" label={t('serviceDesk.followUp.comment')}>
            <Input.TextArea
              maxLength={1000}
              autoSize={{ minRows: 2, maxRows: 5 }}
              placeholder={t('serviceDesk.followUp.commentPlaceholder')}
              data-testid="follow-up-comment"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="follow-up-save">
            {t('serviceDesk.followUp.save')}
          </Button>
        </Form>
      ) : (
        <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>
      )}
    </Card>
  );
}
