import { useEffect, useState } from 'react';
import { newUuid } from '../common/retryKey.js';
import { type HouseholdItem, households, showKept } from './kept.js';
import { enqueue } from './store.js';
import { syncNow } from './sync.js';
import { Field, PhotoPicker, toast } from './ui.js';

/** 入户走访: a household of my grid (the list is kept on the phone), what was found, photos. */
export function HouseholdVisitScreen({ gridId, done }: { gridId: number | null; done: () => void }) {
  const [list, setList] = useState<HouseholdItem[]>([]);
  const [term, setTerm] = useState('');
  const [picked, setPicked] = useState<HouseholdItem | null>(null);
  const [notes, setNotes] = useState('');
  const [photos, setPhotos] = useState<Blob[]>([]);
  useEffect(() => {
    if (!gridId) return;
    showKept(households(gridId), setList);
  }, [gridId]);
  if (!gridId) return <p className="empty">您的账号未绑定网格</p>;
  const shown = list
    .filter((h) => !term || (h.address ?? '').includes(term) || (h.headName ?? '').includes(term))
    .slice(0, 30);
  return (
    <div className="screen">
      {picked ? (
        <>
          <div className="card">
            <b>{picked.headName ?? '（未登记户主）'}户</b>
            <div className="muted">
              {picked.address ?? picked.code} · {picked.members} 人
            </div>
          </div>
          <Field label="走访情况">
            <textarea
              rows={4}
              value={notes}
              onChange={(e) => setNotes(e.target.value)}
              maxLength={4000}
              data-testid="m-household-notes"
            />
          </Field>
          <Field label="照片（选填）">
            <PhotoPicker value={photos} onChange={setPhotos} />
          </Field>
          <button
            type="button"
            className="primary"
            data-testid="m-household-save"
            onClick={async () => {
              if (!notes.trim()) return toast('请填写走访情况');
              const id = newUuid();
              await enqueue(
                {
                  id,
                  kind: 'householdVisit',
                  label: `入户走访 ${picked.headName ?? picked.code}`,
                  body: { id, householdId: picked.id, visitedAt: new Date().toISOString(), notes },
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
        </>
      ) : (
        <>
          <input placeholder="按地址或户主姓名查找" value={term} onChange={(e) => setTerm(e.target.value)} />
          {list.length === 0 && <p className="empty">暂无家庭户（联网后加载）</p>}
          <ul className="list" data-testid="m-households">
            {shown.map((h) => (
              <li key={h.id}>
                <button type="button" onClick={() => setPicked(h)}>
                  <b>{h.headName ?? '（未登记户主）'}户</b>
                  <div className="muted">
                    {h.address ?? h.code} · {h.members} 人
                  </div>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
