import { residentCategories } from '@civicgrid/core/cases/residentCategories';
import { useEffect, useRef, useState } from 'react';
import { newUuid } from '../common/retryKey.js';
import { call, HttpError, request } from '../m/api.js';
import type { Picker } from '../m/mapPicker.js';
import { PhotoPicker, toast } from '../m/ui.js';
import { ns } from './noticeStrings.js';
import { navigate } from './router.js';
import { s } from './strings.js';

type Point = { lat: number; lng: number };

/**
 * The map, loaded only when the resident asks for it (MapLibre is most of a megabyte): the
 * field app's picker, a fixed pin over the map's centre.
 */
function MapPick({ at, onPick }: { at: Point | null; onPick: (p: Point) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const picker = useRef<Picker | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const [failed, setFailed] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the map is made once; `at` moves it below
  useEffect(() => {
    let gone = false;
    import('../m/mapPicker.js')
      .then((m) => {
        if (!gone && box.current) picker.current = m.mountPicker(box.current, at, (p) => pick.current(p));
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
  if (failed) return <p className="error">{s.failed}</p>;
  return <div ref={box} className="r-map" data-testid="r-map" />;
}

const groups = [...new Set(residentCategories.map((c) => c.group))];

/** 我要反映: a plain-words category, what is wrong, photos, where — then a case (channel resident_app). */
export function ReportPage() {
  const [category, setCategory] = useState('');
  const [description, setDescription] = useState('');
  const [address, setAddress] = useState('');
  const [photos, setPhotos] = useState<Blob[]>([]);
  const [point, setPoint] = useState<Point | null>(null);
  const [mapOpen, setMapOpen] = useState(false);
  const [locating, setLocating] = useState(false);
  const [anonymous, setAnonymous] = useState(false);
  const [publicDescription, setPublicDescription] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field?: string | undefined; text: string } | null>(null);
  const key = useRef(newUuid());

  const locate = () => {
    if (!navigator.geolocation) return setError({ field: 'location', text: s.noPosition });
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setLocating(false);
        setPoint({ lat: p.coords.latitude, lng: p.coords.longitude });
      },
      () => {
        setLocating(false);
        setError({ field: 'location', text: s.noPosition });
        setMapOpen(true);
      },
      { enableHighAccuracy: true, timeout: 10_000 },
    );
  };

  const submit = async () => {
    const picked = residentCategories.find((c) => c.code === category);
    if (!picked) return setError({ field: 'categoryCode', text: s.pickCategory });
    if (!point) return setError({ field: 'location', text: s.needLocation });
    setBusy(true);
    setError(null);
    try {
      const attachmentIds: string[] = [];
      for (const p of photos) {
        const form = new FormData();
        form.append('file', p, 'photo.jpg');
        attachmentIds.push((await call<{ id: string }>('POST', '/api/files', form)).id);
      }
      const created = await request('POST /api/cases', {
        body: {
          description: description.trim(),
          categoryCode: picked.categoryCode,
          channel: 'resident_app',
          location: point,
          ...(address.trim() ? { address: address.trim() } : {}),
          ...(attachmentIds.length ? { attachmentIds } : {}),
          anonymous,
          publicDescription,
          idempotencyKey: key.current,
        },
      });
      toast(s.submitted(created.code));
      navigate(`/r/cases/${created.id}`);
    } catch (e) {
      setError(e instanceof HttpError ? { field: e.field, text: e.message } : { text: s.failed });
    } finally {
      setBusy(false);
    }
  };

  const bad = (f: string) => (error?.field === f ? 'bad' : '');
  return (
    <div className="r-form">
      <div className="field">
        <span className="field-label">{s.category}</span>
        <div className="r-chips" data-testid="r-categories">
          {groups.map((g) => (
            <div key={g} className="r-chip-group">
              <span className="r-chip-group-name">{g}</span>
              {residentCategories
                .filter((c) => c.group === g)
                .map((c) => (
                  <button
                    key={c.code}
                    type="button"
                    className={`r-chip${category === c.code ? ' on' : ''}${bad('categoryCode') ? ' bad' : ''}`}
                    aria-pressed={category === c.code}
                    onClick={() => setCategory(c.code)}
                  >
                    {c.name}
                  </button>
                ))}
            </div>
          ))}
        </div>
      </div>
      <label className="field">
        <span className="field-label">{s.description}</span>
        <textarea
          rows={3}
          maxLength={2000}
          value={description}
          placeholder={s.descriptionHint}
          className={bad('description')}
          data-testid="r-description"
          onInput={(e) => setDescription((e.target as HTMLTextAreaElement).value)}
        />
      </label>
      <div className="field">
        <span className="field-label">{s.photos}</span>
        <PhotoPicker value={photos} onChange={setPhotos} max={3} testId="r-photo" />
      </div>
      <div className="field">
        <span className="field-label">{s.location}</span>
        <div className="r-row">
          <button type="button" className="r-secondary" data-testid="r-locate" onClick={locate}>
            {locating ? s.locating : s.useMyPosition}
          </button>
          <button
            type="button"
            className="r-secondary"
            data-testid="r-open-map"
            onClick={() => setMapOpen(true)}
          >
            {s.openMap}
          </button>
        </div>
        {mapOpen && <MapPick at={point} onPick={setPoint} />}
        {point && (
          <span className="field-hint" data-testid="r-point">
            {s.pinned(point.lat, point.lng)}
          </span>
        )}
        {error?.field === 'location' && <span className="error">{error.text}</span>}
      </div>
      <label className="field">
        <span className="field-label">{s.address}</span>
        <input
          value={address}
          maxLength={200}
          onInput={(e) => setAddress((e.target as HTMLInputElement).value)}
        />
      </label>
      <label className="r-check">
        <input
          type="checkbox"
          checked={anonymous}
          data-testid="r-anonymous"
          onChange={(e) => setAnonymous((e.target as HTMLInputElement).checked)}
        />
        <span>{s.anonymous}</span>
      </label>
      <label className="r-check">
        <input
          type="checkbox"
          checked={publicDescription}
          data-testid="r-public-description"
          onChange={(e) => setPublicDescription((e.target as HTMLInputElement).checked)}
        />
        <span>{ns.publicDescription}</span>
      </label>
      {error && error.field !== 'location' && (
        <p className="error" role="alert" data-testid="r-error">
          {error.text}
        </p>
      )}
      <button type="button" className="primary wide" disabled={busy} data-testid="r-submit" onClick={submit}>
        {busy ? s.submitting : s.submit}
      </button>
    </div>
  );
}
