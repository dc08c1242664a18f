import { useState } from 'react';
import { newUuid } from '../common/retryKey.js';
import { enqueue } from './store.js';
import { syncNow } from './sync.js';
import type { CaseTask, VisitTask } from './Tasks.js';
import { Field, fmtTime, PhotoPicker, toast } from './ui.js';

// One task from the list (Tasks.tsx), acted on: a chunk of its own, fetched when a task is opened.

const nextAction = {
  toClaim: 'claim',
  inProgress: 'resolve',
  toVerify: 'verify',
  toFollowUp: 'followUp',
} as const;

/** One case: the step my task is, done on the spot; it goes through the outbox like everything. */
export function CaseTaskScreen({ task, done }: { task: CaseTask; done: () => void }) {
  // While handling, a progress note (进展) is the other thing to record.
  const [mode, setMode] = useState<'step' | 'note'>('step');
  const action = mode === 'note' ? 'note' : nextAction[task.view];
  const [text, setText] = useState('');
  const [photos, setPhotos] = useState<Blob[]>([]);
  const [passed, setPassed] = useState(true);
  const [rating, setRating] = useState('satisfied');
  const submit = async () => {
    const body =
      action === 'claim'
        ? {}
        : action === 'note'
          ? { note: text }
          : action === 'resolve'
            ? { result: text }
            : action === 'verify'
              ? { passed, note: text || undefined }
              : { rating, comment: text || undefined };
    if (action === 'resolve' && text.trim().length < 2) return toast('请填写处置结果');
    if (action === 'note' && !text.trim()) return toast('请填写进展');
    await enqueue(
      {
        id: newUuid(),
        kind: 'action',
        label: `${task.code} ${{ claim: '签收', note: '进展', resolve: '处置', verify: '核查', followUp: '回访' }[action]}`,
        body: { caseId: task.id, action, body },
      },
      action === 'claim' || action === 'followUp' ? {} : { attachmentIds: photos },
    );
    toast('已保存，有网络时自动发送');
    void syncNow();
    done();
  };
  return (
    <div className="screen">
      <div className="card">
        <div className="row">
          <b>{task.categoryName}</b>
          <span className="muted">{task.code}</span>
        </div>
        <p>{task.description}</p>
        <div className="muted">
          {task.address ?? task.gridName ?? ''} · 上报于 {fmtTime(task.reportedAt)}
        </div>
      </div>
      {task.view === 'inProgress' && (
        <div className="seg">
          <button type="button" className={mode === 'step' ? 'on' : ''} onClick={() => setMode('step')}>
            办理完毕
          </button>
          <button type="button" className={mode === 'note' ? 'on' : ''} onClick={() => setMode('note')}>
            记录进展
          </button>
        </div>
      )}
      {action === 'verify' && (
        <Field label="核查结果">
          <div className="seg">
            <button type="button" className={passed ? 'on' : ''} onClick={() => setPassed(true)}>
              已解决
            </button>
            <button type="button" className={!passed ? 'on' : ''} onClick={() => setPassed(false)}>
              未解决
            </button>
          </div>
        </Field>
      )}
      {action === 'followUp' && (
        <Field label="回访评价">
          <select value={rating} onChange={(e) => setRating(e.target.value)}>
            <option value="satisfied">满意</option>
            <option value="basicallySatisfied">基本满意</option>
            <option value="dissatisfied">不满意</option>
          </select>
        </Field>
      )}
      {action !== 'claim' && (
        <Field label={action === 'resolve' ? '处置结果' : action === 'note' ? '进展' : '说明'}>
          <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} maxLength={2000} />
        </Field>
      )}
      {(action === 'resolve' || action === 'verify' || action === 'note') && (
        <Field label="现场照片">
          <PhotoPicker value={photos} onChange={setPhotos} />
        </Field>
      )}
      <button type="button" className="primary" onClick={() => void submit()} data-testid="m-case-action">
        {
          {
            claim: '签收',
            note: '保存进展',
            resolve: '办理完毕，提交核查',
            verify: '提交核查',
            followUp: '提交回访并结案',
          }[action]
        }
      </button>
    </div>
  );
}

/** A care visit (走访), recorded on the spot; it goes through the outbox too. */
export function VisitScreen({ task, done }: { task: VisitTask; done: () => void }) {
  const [place, setPlace] = useState('家中');
  const [notes, setNotes] = useState('');
  const [photos, setPhotos] = useState<Blob[]>([]);
  return (
    <div className="screen">
      <div className="card">
        <b>
          {task.residentName} · {task.categoryName}
        </b>
        <div className="muted">
          {task.overdue ? '走访已逾期' : `下次走访 ${fmtTime(task.nextVisitDue)}`} · {task.gridName}
        </div>
      </div>
      <Field label="走访地点">
        <input value={place} onChange={(e) => setPlace(e.target.value)} maxLength={100} />
      </Field>
      <Field label="走访情况">
        <textarea
          rows={4}
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
          maxLength={4000}
          data-testid="m-visit-notes"
        />
      </Field>
      <Field label="照片（选填）">
        <PhotoPicker value={photos} onChange={setPhotos} />
      </Field>
      <button
        type="button"
        className="primary"
        data-testid="m-visit-save"
        onClick={async () => {
          if (!place.trim() || !notes.trim()) return toast('请填写走访地点和情况');
          await enqueue(
            {
              id: newUuid(),
              kind: 'visit',
              label: `走访 ${task.residentName}`,
              body: { caseId: task.id, visit: { visitedAt: new Date().toISOString(), place, notes } },
            },
            { photoIds: photos },
          );
          toast('走访已保存，有网络时自动发送');
          void syncNow();
          done();
        }}
      >
        保存走访
      </button>
    </div>
  );
}
