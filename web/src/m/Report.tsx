import { useEffect, useMemo, useRef, useState } from 'react';
import { newUuid } from '../common/retryKey.js';
import { type Category, loadCategories } from './categories.js';
import { ReportReceipt } from './MyReports.js';
import { enqueue } from './store.js';
import { syncNow } from './sync.js';
import { Field, PhotoPicker, toast } from './ui.js';

/**
 * The map picker, loaded on demand (MapLibre is large; the shell is not): the point is the
 * map's centre under a fixed pin; a fix found by 重新定位 moves the map there.
 */
function MapPicker({
  at,
  onPick,
  gridId,
}: {
  at: Fix | null;
  onPick: (p: Fix) => void;
  gridId: number | null;
}) {
  const box = useRef<HTMLDivElement>(null);
  const picker = useRef<import('./mapPicker.js').Picker | null>(null);
  const [failed, setFailed] = useState(false);
  const pick = useRef(onPick);
  pick.current = onPick;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the map is made once; `at` moves it below
  useEffect(() => {
    let gone = false;
    import('./mapPicker.js')
      .then((m) => {
        if (!gone && box.current)
          picker.current = m.mountPicker(box.current, at, (p) => pick.current(p), gridId);
      })
      .catch(() => setFailed(true));
    return () => {
      gone = true;
      picker.current?.destroy();
      picker.current = null;
    };
  }, []);
  useEffect(() => {
    if (at) picker.current?.moveTo(at);
  }, [at]);
  if (failed) return <p className="error">地图需要联网加载</p>;
  return <div ref={box} data-testid="m-map" />;
}

type Fix = { lat: number; lng: number; accuracy?: number };

/** 上报, then its receipt: the local number at once, the case number once the server has it. */
export function ReportScreen({ gridId, openReports }: { gridId: number | null; openReports: () => void }) {
  const [receipt, setReceipt] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  if (receipt)
    return (
      <ReportReceipt
        localId={receipt}
        again={() => {
          setReceipt(null);
          setRound((r) => r + 1);
        }}
        openList={openReports}
      />
    );
  return <ReportForm key={round} gridId={gridId} saved={setReceipt} />;
}

/** The form: photos, where (GPS, adjustable on a map), what (searchable category), and self-resolve. */
function ReportForm({ saved, gridId }: { saved: (localId: string) => void; gridId: number | null }) {
  const [cats, setCats] = useState<Category[]>([]);
  const [term, setTerm] = useState('');
  const [category, setCategory] = useState<Category | null>(null);
  const [description, setDescription] = useState('');
  const [photos, setPhotos] = useState<Blob[]>([]);
  const [fix, setFix] = useState<Fix | null>(null);
  const [locating, setLocating] = useState(false);
  const [showMap, setShowMap] = useState(false);
  const [self, setSelf] = useState(false);
  const [result, setResult] = useState('');
  const [after, setAfter] = useState<Blob[]>([]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: locate once when the form opens
  useEffect(() => {
    void loadCategories().then(setCats);
    locate();
  }, []);
  function locate() {
    if (!navigator.geolocation) return;
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setFix({ lat: p.coords.latitude, lng: p.coords.longitude, accuracy: p.coords.accuracy });
        setLocating(false);
      },
      () => {
        setLocating(false);
        toast('无法获取定位，请在地图上选点');
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
    );
  }
  const leaves = useMemo(() => cats.filter((c) => c.parentCode !== null), [cats]);
  const matches = term
    ? leaves.filter((c) => c.name.includes(term) || c.code.includes(term.toUpperCase())).slice(0, 8)
    : [];
  const submit = async () => {
    if (!category) return toast('请选择问题类别');
    if (description.trim().length < 2) return toast('请描述问题（至少2个字）');
    if (!fix) return toast('请定位或在地图上选点');
    if (self && (result.trim().length < 2 || !photos.length || !after.length))
      return toast('自处置需填写处置结果，并有处置前、处置后照片');
    const id = newUuid();
    await enqueue(
      {
        id,
        kind: 'case',
        label: `${category.name}：${description.slice(0, 16)}`,
        body: {
          description,
          categoryCode: category.code,
          channel: 'grid_patrol',
          location: { lat: fix.lat, lng: fix.lng },
          occurredAt: new Date().toISOString(),
          ...(self ? { selfResolve: { result } } : {}),
        },
      },
      self ? { beforeAttachmentIds: photos, afterAttachmentIds: after } : { attachmentIds: photos },
    );
    void syncNow();
    saved(id);
  };
  return (
    <div className="screen">
      <Field label="现场照片" hint="自动压缩到 1600 像素以内">
        <PhotoPicker value={photos} onChange={setPhotos} testId="m-report-photo" />
      </Field>
      <Field label="位置">
        <div className="row">
          <span className="muted" data-testid="m-report-location">
            {fix
              ? `${fix.lng.toFixed(5)}, ${fix.lat.toFixed(5)}${fix.accuracy ? `（±${Math.round(fix.accuracy)} 米）` : ''}`
              : locating
                ? '定位中…'
                : '未定位'}
          </span>
          <span>
            <button type="button" className="link" onClick={locate}>
              重新定位
            </button>
            <button type="button" className="link" onClick={() => setShowMap((s) => !s)}>
              {showMap ? '收起地图' : '地图选点'}
            </button>
          </span>
        </div>
      </Field>
      {showMap && <MapPicker at={fix} onPick={setFix} gridId={gridId} />}
      <Field label="问题类别">
        {category ? (
          <div className="row">
            <b data-testid="m-report-category">{category.name}</b>
            <button type="button" className="link" onClick={() => setCategory(null)}>
              更换
            </button>
          </div>
        ) : (
          <>
            <input
              placeholder="输入关键字，如 井盖、路灯、垃圾"
              value={term}
              onChange={(e) => setTerm(e.target.value)}
              data-testid="m-report-category-search"
            />
            <ul className="picker">
              {matches.map((c) => (
                <li key={c.code}>
                  <button type="button" onClick={() => setCategory(c)}>
                    {c.name} <span className="muted">{c.code}</span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </Field>
      <Field label="问题描述">
        <textarea
          rows={3}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          maxLength={2000}
          data-testid="m-report-description"
        />
      </Field>
      {category?.selfResolvable && (
        <label className="check">
          <input type="checkbox" checked={self} onChange={(e) => setSelf(e.target.checked)} />{' '}
          现场已处置（自处置）
        </label>
      )}
      {self && (
        <>
          <Field label="处置结果">
            <textarea rows={2} value={result} onChange={(e) => setResult(e.target.value)} />
          </Field>
          <Field label="处置后照片">
            <PhotoPicker value={after} onChange={setAfter} />
          </Field>
        </>
      )}
      <button type="button" className="primary" onClick={() => void submit()} data-testid="m-report-submit">
        上报
      </button>
    </div>
  );
}
