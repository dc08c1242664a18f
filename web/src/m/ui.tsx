import { type ReactNode, useEffect, useState } from 'react';
import { compress } from './photos.js';

export function Field({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child, which the label wraps
    <label className="field">
      <span className="field-label">{label}</span>
      {children}
      {hint && <span className="field-hint">{hint}</span>}
    </label>
  );
}

/** Picks photos (the camera on a phone), shrinks them, and shows thumbnails. */
export function PhotoPicker({
  value,
  onChange,
  max = 9,
  testId,
}: {
  value: Blob[];
  onChange: (b: Blob[]) => void;
  max?: number;
  testId?: string;
}) {
  const [urls, setUrls] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const u = value.map((b) => URL.createObjectURL(b));
    setUrls(u);
    return () => {
      for (const x of u) URL.revokeObjectURL(x);
    };
  }, [value]);
  return (
    <div className="photos">
      {urls.map((u, i) => (
        <button
          type="button"
          key={u}
          className="thumb"
          onClick={() => onChange(value.filter((_, j) => j !== i))}
        >
          <img src={u} alt="" />
          <span>×</span>
        </button>
      ))}
      {value.length < max && (
        <label className="thumb add">
          {busy ? '…' : '＋'}
          <input
            type="file"
            accept="image/*"
            capture="environment"
            multiple
            data-testid={testId}
            onChange={async (e) => {
              const files = [...(e.target.files ?? [])].slice(0, max - value.length);
              e.target.value = '';
              setBusy(true);
              try {
                onChange([...value, ...(await Promise.all(files.map((f) => compress(f))))]);
              } finally {
                setBusy(false);
              }
            }}
          />
        </label>
      )}
    </div>
  );
}

let toastTimer: ReturnType<typeof setTimeout> | undefined;
export function toast(text: string) {
  let el = document.getElementById('toast');
  if (!el) {
    el = document.createElement('div');
    el.id = 'toast';
    document.body.appendChild(el);
  }
  el.textContent = text;
  el.className = 'toast show';
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    (el as HTMLElement).className = 'toast';
  }, 2500);
}

export const fmtTime = (iso: string | null | undefined) =>
  iso
    ? new Date(iso).toLocaleString('zh-CN', {
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      })
    : '—';
