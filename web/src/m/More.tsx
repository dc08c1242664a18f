import { parseIdNumber } from '@civicgrid/core/ids/idNumber';
import { useEffect, useState } from 'react';
import { newUuid } from '../common/retryKey.js';
import { type Reply, request } from './api.js';
import { enqueue, removeEntry } from './store.js';
import { retry, syncNow } from './sync.js';
import { Field, fmtTime, toast } from './ui.js';
import { useOutbox } from './useOutbox.js';

/** 待发送: what is waiting, what failed and why. */
export function OutboxScreen() {
  const items = useOutbox();
  return (
    <div className="screen">
      <div className="bar">
        <span className="muted">{navigator.onLine ? '在线' : '离线：联网后自动发送'}</span>
        <button type="button" className="link" onClick={() => void syncNow()}>
          立即发送
        </button>
      </div>
      {items.length === 0 && <p className="empty">全部已发送</p>}
      <ul className="list" data-testid="m-outbox">
        {items.map((e) => (
          <li key={e.id} className={e.status === 'failed' ? 'failed' : ''}>
            <div className="row">
              <b>{e.label}</b>
              <span className={`tag ${e.status === 'failed' ? 'red' : ''}`}>
                {e.status === 'failed' ? '失败' : '待发送'}
              </span>
            </div>
            <div className="muted">
              {fmtTime(new Date(e.createdAt).toISOString())}
              {Object.values(e.photos).flat().length
                ? ` · 照片 ${Object.values(e.photos).flat().length} 张`
                : ''}
              {e.attempts ? ` · 已尝试 ${e.attempts} 次` : ''}
            </div>
            {e.error && <div className="error">原因：{e.error}</div>}
            {e.status === 'failed' && (
              <div className="row">
                <button type="button" className="link" onClick={() => void retry(e)}>
                  重试
                </button>
                <button
                  type="button"
                  className="link danger"
                  onClick={() => {
                    if (confirm('放弃这条记录？放弃后无法恢复。')) void removeEntry(e);
                  }}
                >
                  放弃
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** 居民登记: a person in my grid, the ID number checked on the phone before it is kept. */
export function ResidentScreen({ gridId, done }: { gridId: number | null; done: () => void }) {
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const [phone, setPhone] = useState('');
  const parsed = id.length >= 18 ? parseIdNumber(id) : null;
  const problem =
    parsed && !parsed.ok
      ? { format: '格式不正确', birthDate: '出生日期不存在', checkDigit: '校验位不正确' }[parsed.problem]
      : null;
  return (
    <div className="screen">
      <Field label="姓名">
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={40} />
      </Field>
      <Field
        label="身份证号"
        hint={
          problem
            ? `身份证号${problem}`
            : parsed?.ok
              ? `${parsed.value.birthDate} · ${parsed.value.sex === 'male' ? '男' : '女'}`
              : '出生日期、性别由身份证号得出'
        }
      >
        <input
          value={id}
          onChange={(e) => setId(e.target.value.trim().toUpperCase())}
          maxLength={18}
          className={problem ? 'bad' : ''}
          data-testid="m-resident-id"
        />
      </Field>
      <Field label="手机号（选填）">
        <input
          value={phone}
          onChange={(e) => setPhone(e.target.value.trim())}
          maxLength={11}
          inputMode="numeric"
        />
      </Field>
      <button
        type="button"
        className="primary"
        onClick={async () => {
          if (!name.trim()) return toast('请填写姓名');
          if (!parsed?.ok) return toast(problem ? `身份证号${problem}` : '请填写18位身份证号');
          if (phone && !/^1[3-9]\d{9}$/.test(phone)) return toast('手机号应为11位');
          if (!gridId) return toast('您的账号未绑定网格');
          await enqueue({
            id: newUuid(),
            kind: 'resident',
            label: `登记居民 ${name}`,
            body: { name, idNumber: parsed.normalized, ...(phone ? { phone } : {}), gridId },
          });
          toast('已保存，有网络时自动提交');
          void syncNow();
          done();
        }}
      >
        保存
      </button>
    </div>
  );
}

type WorkLog = Reply<'GET /api/worklogs/mine/:day'>;

/** 工作日志: the day as the records tell it, plus the worker's own notes. */
export function LogScreen() {
  const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const [log, setLog] = useState<WorkLog | null>(null);
  const [notes, setNotes] = useState('');
  const [offline, setOffline] = useState(false);
  useEffect(() => {
    request('GET /api/worklogs/mine/:day', { params: { day } })
      .then((l) => {
        setLog(l);
        setNotes((n) => n || l.notes);
      })
      .catch(() => setOffline(true));
  }, [day]);
  const s = log?.summary;
  return (
    <div className="screen">
      <div className="card">
        <b>{day} 工作日志</b>
        {s ? (
          <div className="grid2">
            <span>巡查 {s.patrols} 次</span>
            <span>
              {((s.patrolDistanceM ?? 0) / 1000).toFixed(2)} 公里 / {s.patrolMinutes} 分钟
            </span>
            <span>上报事件 {s.casesReported}</span>
            <span>自处置 {s.casesSelfResolved}</span>
            <span>办理事件 {s.casesHandled}</span>
            <span>走访 {s.visits}</span>
          </div>
        ) : (
          <p className="muted">{offline ? '离线：统计将在提交时由系统生成' : '加载中…'}</p>
        )}
        {log?.submittedAt && (
          <div className="muted">已于 {fmtTime(log.submittedAt)} 提交，可修改后重新提交</div>
        )}
      </div>
      <Field label="今日工作记录">
        <textarea
          rows={5}
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
          maxLength={4000}
          placeholder="走访了哪些住户、发现了什么问题、需要协调的事项"
        />
      </Field>
      <button
        type="button"
        className="primary"
        onClick={async () => {
          await enqueue({
            id: newUuid(),
            kind: 'worklog',
            label: `${day} 工作日志`,
            body: { day, notes },
          });
          toast('日志已保存，有网络时自动提交');
          void syncNow();
        }}
      >
        提交日志
      </button>
    </div>
  );
}
