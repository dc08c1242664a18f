import { maskIdNumber, maskPhone, parseIdNumber } from '@civicgrid/core';
import { residenceTypeNames, residenceTypes } from '@civicgrid/core/api/residents';
import { inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import { type Db, queryRows } from '../../platform/db.js';
import { registerImport, templateOf, type WriteResult } from '../../platform/importer.js';
import { pathInScope } from '../../platform/scope.js';
import { gridsByCode } from '../places/imports.js';
import {
  otherJurisdictionMessage,
  otherJurisdictionRule,
  registeredElsewhere,
  residentScope,
} from './policy.js';
import { recordMoves } from './service.js';
import { residents } from './tables.js';
import { activeTagNames } from './tags.js';

/** The template's columns, in order; the header row names them in Chinese. */
export const residentColumns = [
  ['name', '姓名'],
  ['idNumber', '身份证号'],
  ['phone', '手机号'],
  ['gridCode', '网格编码'],
  ['residenceType', '居住类型'],
  ['relationToHead', '与户主关系'],
  ['tags', '标签'],
  ['notes', '备注'],
] as const;

const typeByName = new Map<string, string>([
  ...residenceTypes.map((t) => [t, t] as [string, string]),
  ...residenceTypes.map((t) => [residenceTypeNames[t], t] as [string, string]),
]);

const idReasons = {
  checkDigit: '身份证号校验位不正确',
  birthDate: '身份证号中的出生日期不存在',
  format: '身份证号格式不正确',
} as const;

/**
 * Residents, upserted by the ID number's blind index. A row equal to the stored one writes
 * nothing, so importing the same file twice leaves the data as it was.
 */
export const residentImport = (crypto: FieldCrypto) =>
  registerImport({
    kind: 'residents',
    sheetName: '实有人口',
    columns: residentColumns,
    required: ['name', 'idNumber', 'gridCode'],
    auditAction: 'resident.imported',
    prepare: async (db) => ({ gridByCode: await gridsByCode(db), tags: await activeTagNames(db) }),
    check(raw, { gridByCode, tags: library }, actor) {
      if (!raw.name) return { error: '姓名为空' };
      if ((raw.name as string).length > 40) return { error: '姓名超过40个字' };
      if (!raw.idNumber) return { error: '身份证号为空' };
      const id = parseIdNumber(raw.idNumber as string);
      if (!id.ok) return { error: idReasons[id.problem] };
      const phone = raw.phone as string;
      if (phone && !/^1[3-9]\d{9}$/.test(phone)) return { error: '手机号格式不正确' };
      const grid = gridByCode.get(raw.gridCode as string);
      if (!grid) return { error: raw.gridCode ? `网格编码 ${raw.gridCode} 不存在` : '网格编码为空' };
      if (!pathInScope(actor, grid.path)) return { error: `网格 ${raw.gridCode} 不在您的辖区` };
      const residenceType = raw.residenceType ? typeByName.get(raw.residenceType as string) : 'registered';
      if (!residenceType) return { error: `居住类型“${raw.residenceType}”无法识别` };
      const tags = raw.tags
        ? (raw.tags as string)
            .split(/[,，、;；]/)
            .map((s) => s.trim())
            .filter(Boolean)
        : [];
      const unknownTag = tags.find((t) => !library.has(t));
      if (unknownTag) return { error: `标签“${unknownTag}”不在标签库中` };
      return {
        key: id.normalized,
        value: {
          name: raw.name as string,
          idNumberEnc: crypto.encrypt(id.normalized),
          idNumberIdx: crypto.blindIndex(id.normalized),
          idNumberTail: id.normalized.slice(-4),
          phoneEnc: phone ? crypto.encrypt(phone) : null,
          phoneIdx: phone ? crypto.blindIndex(phone) : null,
          sex: id.value.sex,
          birthDate: id.value.birthDate,
          birthplaceCode: id.value.regionCode,
          residenceType,
          gridId: grid.id,
          orgPath: grid.path,
          relationToHead: raw.relationToHead || null,
          tags,
          notes: raw.notes || null,
        } satisfies typeof residents.$inferInsert,
      };
    },
    duplicate: (line) => `与第 ${line} 行身份证号重复`,
    multiline: ['notes'],
    /**
     * A row updates the person its ID number names only when that person is inside the
     * importer's jurisdiction. One outside it is refused (the row says so and nothing more:
     * no name, no area) — taking the record over would move someone else's resident into
     * this jurisdiction and open the file to the importer. A person inside whose grid
     * changes is moved with history, as the move action does: the importer could move
     * them by hand, so refusing would only cost a second step, and the move stays on record.
     */
    async write(tx, batch, _ctx, { actor, meta }) {
      const rows = batch as Required<typeof residents.$inferInsert>[];
      const found = await tx
        .select({
          id: residents.id,
          idx: residents.idNumberIdx,
          orgPath: residents.orgPath,
          gridId: residents.gridId,
        })
        .from(residents)
        .where(
          inArray(
            residents.idNumberIdx,
            rows.map((r) => r.idNumberIdx),
          ),
        )
        .for('update');
      const stored = new Map(found.map((f) => [f.idx, f]));
      const refused: NonNullable<WriteResult['refused']> = [];
      const kept: typeof rows = [];
      rows.forEach((r, index) => {
        const s = stored.get(r.idNumberIdx);
        if (s && registeredElsewhere(actor, s.orgPath))
          refused.push({ index, reason: otherJurisdictionMessage, rule: otherJurisdictionRule });
        else kept.push(r);
      });
      const written = kept.length ? await upsert(tx, kept, actor) : new Set<string>();
      // A person registered elsewhere between the look-up and the insert is left alone by
      // the upsert's own scope condition; such a row is refused like the others.
      const unseen = kept.filter((r) => !stored.has(r.idNumberIdx) && !written.has(r.idNumberIdx));
      if (unseen.length) {
        const late = await tx
          .select({ idx: residents.idNumberIdx, orgPath: residents.orgPath })
          .from(residents)
          .where(
            inArray(
              residents.idNumberIdx,
              unseen.map((r) => r.idNumberIdx),
            ),
          );
        for (const l of late)
          if (registeredElsewhere(actor, l.orgPath))
            refused.push({
              index: rows.findIndex((r) => r.idNumberIdx === l.idx),
              reason: otherJurisdictionMessage,
              rule: otherJurisdictionRule,
            });
      }
      const moves = kept.flatMap((r) => {
        const s = stored.get(r.idNumberIdx);
        return s && s.gridId !== r.gridId ? [{ residentId: s.id, from: s.gridId, to: r.gridId }] : [];
      });
      await recordMoves(tx, actor, meta, moves, '导入');
      return { written: written.size, refused };
    },
    // The report keeps no personal numbers in clear: the importer has the file itself.
    mask: (raw) => ({
      ...raw,
      idNumber: raw.idNumber ? maskIdNumber(raw.idNumber) : '',
      phone: raw.phone ? maskPhone(raw.phone) : '',
    }),
  });

/**
 * One statement per batch, each column an array: unnest turns them back into rows, so the
 * batch costs one parse however many rows it has. Only rows that differ are written (a
 * second import of the same file is a no-op), and only people inside the importer's
 * jurisdiction are updated. Returns the blind indexes of the rows written.
 */
async function upsert(tx: Db, rows: Required<typeof residents.$inferInsert>[], actor: Actor) {
  // sql.param keeps an array one parameter (a bare array would become a list).
  const col = <K extends keyof (typeof rows)[number]>(k: K) => sql.param(rows.map((r) => r[k]));
  const arrayLiteral = (xs: string[]) => `{${xs.map((x) => `"${x.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
  const written = await queryRows<{ idx: string }>(
    tx,
    sql`insert into residents (name, id_number_enc, id_number_idx, id_number_tail, phone_enc, phone_idx, sex,
        birth_date, birthplace_code, residence_type, grid_id, org_path, relation_to_head, tags, notes)
      select u.name, u.enc, u.idx, u.tail, u.penc, u.pidx, u.sex, u.birth, u.place, u.rtype, u.grid, u.path,
        u.rel, u.tags::text[], u.notes
      from unnest(${col('name')}::text[], ${col('idNumberEnc')}::text[], ${col('idNumberIdx')}::text[],
        ${col('idNumberTail')}::text[], ${col('phoneEnc')}::text[], ${col('phoneIdx')}::text[], ${col('sex')}::text[],
        ${col('birthDate')}::text[], ${col('birthplaceCode')}::text[], ${col('residenceType')}::text[],
        ${col('gridId')}::int[], ${col('orgPath')}::text[], ${col('relationToHead')}::text[],
        ${sql.param(rows.map((r) => arrayLiteral(r.tags as string[])))}::text[], ${col('notes')}::text[])
        as u(name, enc, idx, tail, penc, pidx, sex, birth, place, rtype, grid, path, rel, tags, notes)
      on conflict (id_number_idx) do update set
        name = excluded.name,
        phone_enc = case when residents.phone_idx is not distinct from excluded.phone_idx
          then residents.phone_enc else excluded.phone_enc end,
        phone_idx = excluded.phone_idx,
        residence_type = excluded.residence_type,
        grid_id = excluded.grid_id,
        org_path = excluded.org_path,
        relation_to_head = excluded.relation_to_head,
        tags = excluded.tags,
        notes = excluded.notes,
        updated_at = now()
      where ${residentScope.where(actor)}
        and (residents.name, residents.phone_idx, residents.residence_type, residents.grid_id,
          residents.relation_to_head, residents.tags, residents.notes)
        is distinct from (excluded.name, excluded.phone_idx, excluded.residence_type, excluded.grid_id,
          excluded.relation_to_head, excluded.tags, excluded.notes)
      returning id_number_idx as idx`,
  );
  return new Set(written.map((w) => w.idx));
}

export async function residentTemplate(crypto: FieldCrypto): Promise<Buffer> {
  return templateOf(
    residentImport(crypto),
    {
      name: '王秀英',
      idNumber: '150203194503120241',
      phone: '13912345678',
      gridCode: '150203001001001',
      residenceType: '户籍人口',
      relationToHead: '户主',
      tags: '独居老人,高龄老人',
      notes: '示例行，导入前请删除',
    },
    [
      ['姓名', '必填'],
      ['身份证号', '必填，18位，校验位须正确；出生日期、性别、籍贯由身份证号自动得出'],
      ['手机号', '选填，11位手机号'],
      ['网格编码', '必填，15位网格编码，须在您的辖区内'],
      ['居住类型', `选填：${residenceTypes.map((t) => residenceTypeNames[t]).join('、')}，默认户籍人口`],
      ['标签', '选填，多个用逗号分隔'],
      ['重复导入', '按身份证号更新，同一文件导入两次不会产生重复'],
    ],
  );
}
