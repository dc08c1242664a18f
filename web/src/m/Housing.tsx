import { useEffect, useState } from 'react';
import { type HousingUnit, housingUnits, showKept } from './kept.js';
import { enqueue } from './store.js';
import { syncNow } from './sync.js';
import { Field, toast } from './ui.js';

const uses = [
  ['ownerOccupied', '自住'],
  ['rented', '出租'],
  ['vacant', '空置'],
  ['commercial', '经营'],
  ['other', '其他'],
] as const;

/** 房屋核实: what a dwelling of my grid is used for now (rented out, empty…), as found on the walk. */
export function HousingScreen({ gridId, done }: { gridId: number | null; done: () => void }) {
  const [units, setUnits] = useState<HousingUnit[]>([]);
  const [term, setTerm] = useState('');
  const [unit, setUnit] = useState<HousingUnit | null>(null);
  const [use, setUse] = useState<string>('rented');
  useEffect(() => {
    if (!gridId) return;
    showKept(housingUnits(gridId), setUnits);
  }, [gridId]);
  if (!gridId) return <p className="empty">您的账号未绑定网格</p>;
  return (
    <div className="screen">
      <Field label="房屋">
        {unit ? (
          <div className="row">
            <span>{unit.address}</span>
            <button type="button" className="link" onClick={() => setUnit(null)}>
              更换
            </button>
          </div>
        ) : (
          <>
            <input placeholder="楼号、单元或房号" value={term} onChange={(e) => setTerm(e.target.value)} />
            <ul className="picker">
              {units
                .filter((u) => !term || (u.address ?? '').includes(term))
                .slice(0, 20)
                .map((u) => (
                  <li key={u.id}>
                    <button type="button" onClick={() => setUnit(u)}>
                      {u.address}
                    </button>
                  </li>
                ))}
            </ul>
          </>
        )}
      </Field>
      <Field label="现用途">
        <div className="seg">
          {uses.map(([k, label]) => (
            <button type="button" key={k} className={use === k ? 'on' : ''} onClick={() => setUse(k)}>
              {label}
            </button>
          ))}
        </div>
      </Field>
      <button
        type="button"
        className="primary"
        onClick={async () => {
          if (!unit) return toast('请选择房屋');
          await enqueue({
            id: crypto.randomUUID(),
            kind: 'housingPatch',
            label: `房屋核实 ${(unit.address ?? '').slice(-12)}`,
            body: { unitId: unit.id, patch: { use } },
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
