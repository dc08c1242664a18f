import type { Activity } from '@civicgrid/core/api/volunteers';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Modal, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../../common/client.js';
import { QueryState } from '../../common/QueryState.js';

const when = (v: string) => new Date(v).toLocaleString('zh-CN', { hour12: false });
const html = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/**
 * 签到二维码: the activity's signed code (from the server, which also draws it), shown for the
 * volunteers to scan at the place, or printed on a page of its own to pin up there.
 */
export function CheckInCodeModal({ activity, onClose }: { activity: Activity; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const code = useQuery({
    queryKey: ['volunteer-activities', 'code', activity.id],
    queryFn: () => call('GET /api/volunteer-activities/:id/check-in-code', { params: { id: activity.id } }),
    staleTime: 10 * 60_000,
  });
  const c = code.data;
  const url = c ? `${location.origin}${c.path}` : '';
  const print = () => {
    if (!c) return;
    const w = window.open('', '_blank', 'width=720,height=900');
    if (!w) return;
    w.document.write(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${html(activity.title)}</title>
<style>body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;text-align:center;margin:40px}
h1{font-size:28px;margin:0 0 8px}p{font-size:16px;color:#333;margin:4px}.qr svg{width:360px;height:360px;margin:24px auto}</style></head>
<body><h1>${html(t('volunteerTeams.codeTitle', { title: activity.title }))}</h1>
<p>${html(activity.placeName)} · ${html(when(activity.startsAt))} – ${html(when(activity.endsAt))}</p>
<div class="qr">${c.svg}</div><p>${html(t('volunteerTeams.codeHint'))}</p>
<p>${html(t('volunteerTeams.codeExpires', { at: when(c.expiresAt) }))}</p></body></html>`);
    w.document.close();
    w.focus();
    w.print();
  };
  return (
    <Modal
      open
      onCancel={onClose}
      title={t('volunteerTeams.codeTitle', { title: activity.title })}
      footer={
        <Space>
          <Button
            disabled={!c}
            onClick={() =>
              navigator.clipboard
                ?.writeText(url)
                .then(() => message.success(t('volunteerTeams.codeCopied')))
                .catch(() => undefined)
            }
          >
            {t('volunteerTeams.codeCopy')}
          </Button>
          <Button type="primary" disabled={!c} onClick={print} data-testid="checkin-code-print">
            {t('volunteerTeams.codePrint')}
          </Button>
        </Space>
      }
      data-testid="checkin-code-modal"
    >
      <QueryState loading={code.isLoading} error={code.error} onRetry={() => code.refetch()}>
        {c && (
          <div style={{ textAlign: 'center' }}>
            <img
              src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(c.svg)}`}
              alt={t('volunteerTeams.code')}
              width={280}
              height={280}
              data-testid="checkin-code-image"
              data-path={c.path}
            />
            <p>
              {activity.placeName} · {when(activity.startsAt)} – {when(activity.endsAt)}
            </p>
            <Typography.Paragraph type="secondary">{t('volunteerTeams.codeHint')}</Typography.Paragraph>
            <Typography.Paragraph type="secondary">
              {t('volunteerTeams.codeExpires', { at: when(c.expiresAt) })}
            </Typography.Paragraph>
            <Typography.Text
              copyable={{ text: url }}
              code
              data-testid="checkin-code-url"
              style={{ fontSize: 12 }}
            >
              {c.path.length > 48 ? `${c.path.slice(0, 48)}…` : c.path}
            </Typography.Text>
          </div>
        )}
      </QueryState>
    </Modal>
  );
}
