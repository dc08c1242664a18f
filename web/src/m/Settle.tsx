import { useEffect, useState } from 'react';
import { newUuid } from '../common/retryKey.js';
import type { Reply } from './api.js';
import { type HousingUnit, housingUnits, showKept } from './kept.js';
import { enqueue } from './store.js';
import { syncNow } from './sync.js';
import { Field, toast } from './ui.js';

/** A person of my grid with no dwelling on record, as the resident list gives him. */
export type Unsettled = Pick<
  Reply<'GET /api/residents'>['items'][number],
  'id' | 'name' | 'age' | 'sex' | 'phone'
>;

const relations = ['户主', '配偶', '子女', '父母', '孙子女', '兄弟姐妹', '其他'];

/** 核实住址: put a person of my grid in a dwelling (the unit's household), and fix the phone. */
export function SettleScreen({
  person,
  gridId,
  done,
}: {
  person: Unsettled;
  gridId: number | null;
  done: () => void;
}) {
  const [units, setUnits] = useState<HousingUnit[]>([]);
  const [term, setTerm] = useState('');
  const [unit, setUnit] = useState<HousingUnit | null>(null);
  const [relation, setRelation] = useState('户主');
  const [phone, setPhone] = useState('');
  useEffect(() => {
    if (!gridId) return;
    showKept(housingUnits(gridId), setUnits);
  }, [gridId]);
  const shown = units.filter((u) => !term || (u.address ?? '').includes(term)).slice(0, 20);
  return (
    <div className="screen">
      <div className="card">
        <b>{person.name}</b>
        <div className="muted">
          {person.sex === 'male' ? '男' : '女'} · {person.age} 岁 · 尚未登记住址
        </div>
      </div>
      <Field label="住址（本网格房屋）">
        {unit ? (
          <div className="row">
            <span data-testid="m-settle-unit">{unit.address}</span>
            <button type="button" className="link" onClick={() => setUnit(null)}>
              更换
            </button>
          </div>
        ) : (
          <>
            <input
              placeholder="楼号、单元或房号，如 2号楼 302"
              value={term}
              onChange={(e) => setTerm(e.target.value)}
            />
            <ul className="picker">
              {shown.map((u) => (
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
      <Field label="与户主关系">
        <select value={relation} onChange={(e) => setRelation(e.target.value)}>
          {relations.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </Field>
      <Field
        label="手机号（核实后更新，选填）"
        hint={person.phone ? `现登记 ${person.phone}` : '未登记手机号'}
      >
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
          if (!unit) return toast('请选择住址');
          if (phone && !/^1[3-9]\d{9}$/.test(phone)) return toast('手机号应为11位');
          await enqueue({
            id: newUuid(),
            kind: 'settle',
            label: `${person.name} 登记住址`,
            body: { residentId: person.id, housingUnitId: unit.id, relationToHead: relation },
          });
          if (phone)
            await enqueue({
              id: newUuid(),
              kind: 'residentPatch',
              label: `${person.name} 更新手机号`,
              body: { residentId: person.id, patch: { phone } },
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
