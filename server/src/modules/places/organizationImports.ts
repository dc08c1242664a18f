import { isValidCreditCode, maskPhone } from '@civicgrid/core';
import { organizationKindNames, organizationKinds } from '@civicgrid/core/api/places';
import { inArray, sql } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/trail.js';
import { auditActorOf } from '../../platform/auth/service.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import { registerImport, templateOf, type WriteResult } from '../../platform/importer.js';
import { pathInScope } from '../../platform/scope.js';
import { otherJurisdictionMessage, otherJurisdictionRule, registeredElsewhere } from '../residents/policy.js';
import { byName, gridsByCode, int } from './imports.js';
import { organizationScope } from './policy.js';
import { organizations } from './tables.js';

const kindBy = byName(organizationKinds, organizationKindNames);

export const organizationColumns = [
  ['name', '单位名称'],
  ['creditCode', '统一社会信用代码'],
  ['kind', '单位类型'],
  ['address', '地址'],
  ['gridCode', '网格编码'],
  ['contactName', '联系人'],
  ['contactPhone', '联系电话'],
  ['employees', '从业人数'],
  ['notes', '备注'],
] as const;

/** Organizations, upserted by the unified social credit code (checked by GB 32100). */
export const organizationImport = (crypto: FieldCrypto) =>
  registerImport({
    kind: 'organizations',
    sheetName: '实有单位',
    columns: organizationColumns,
    required: ['name', 'creditCode', 'kind', 'address', 'gridCode'],
    auditAction: 'organization.imported',
    prepare: (db) => gridsByCode(db),
    check(raw, grids, actor) {
      const name = raw.name ?? '';
      if (!name || name.length > 100) return { error: name ? '单位名称超过100个字' : '单位名称为空' };
      const creditCode = (raw.creditCode ?? '').toUpperCase();
      if (!creditCode) return { error: '统一社会信用代码为空' };
      if (!isValidCreditCode(creditCode)) return { error: '统一社会信用代码不正确（GB 32100 校验位不符）' };
      const kind = kindBy.get(raw.kind ?? '');
      if (!kind) return { error: raw.kind ? `单位类型“${raw.kind}”无法识别` : '单位类型为空' };
      const address = raw.address ?? '';
      if (!address) return { error: '地址为空' };
      const grid = grids.get(raw.gridCode ?? '');
      if (!grid) return { error: raw.gridCode ? `网格编码 ${raw.gridCode} 不存在` : '网格编码为空' };
      if (!pathInScope(actor, grid.path)) return { error: `网格 ${raw.gridCode} 不在您的辖区` };
      const phone = raw.contactPhone ?? '';
      if (phone && !/^1[3-9]\d{9}$/.test(phone)) return { error: '联系电话应为11位手机号' };
      const employees = raw.employees ? int(raw.employees) : null;
      if (employees !== null && !(employees >= 0)) return { error: '从业人数应为非负整数' };
      return {
        key: creditCode,
        value: {
          name,
          creditCode,
          kind,
          address,
          gridId: grid.id,
          orgPath: grid.path,
          contactName: raw.contactName || null,
          contactPhoneEnc: phone ? crypto.encrypt(phone) : null,
          contactPhoneIdx: phone ? crypto.blindIndex(phone) : null,
          employees,
          notes: raw.notes || null,
        } satisfies typeof organizations.$inferInsert,
      };
    },
    duplicate: (line) => `与第 ${line} 行统一社会信用代码重复`,
    multiline: ['notes'],
    /**
     * Credit codes are public, so a code is no proof the importer keeps that organization:
     * one registered outside the importer's jurisdiction is refused (the row names neither
     * the organization nor its area), never updated. Inside it, a change of grid is
     * written and audited as an update naming the grids (organizations keep no move
     * history table), and the building link, which belonged to the old grid, is cleared.
     */
    async write(tx, batch, _ctx, { actor, meta }) {
      const rows = batch as (typeof organizations.$inferInsert)[];
      const found = await tx
        .select({
          id: organizations.id,
          creditCode: organizations.creditCode,
          orgPath: organizations.orgPath,
          gridId: organizations.gridId,
        })
        .from(organizations)
        .where(
          inArray(
            organizations.creditCode,
            rows.map((r) => r.creditCode),
          ),
        )
        .for('update');
      const stored = new Map(found.map((f) => [f.creditCode, f]));
      const refused: NonNullable<WriteResult['refused']> = [];
      const kept: typeof rows = [];
      rows.forEach((r, index) => {
        const s = stored.get(r.creditCode);
        if (s && registeredElsewhere(actor, s.orgPath))
          refused.push({ index, reason: otherJurisdictionMessage, rule: otherJurisdictionRule });
        else kept.push(r);
      });
      const written = kept.length
        ? await tx
            .insert(organizations)
            .values(kept)
            .onConflictDoUpdate({
              target: organizations.creditCode,
              set: {
                name: sql`excluded.name`,
                kind: sql`excluded.kind`,
                address: sql`excluded.address`,
                gridId: sql`excluded.grid_id`,
                orgPath: sql`excluded.org_path`,
                buildingId: sql`case when organizations.grid_id = excluded.grid_id then organizations.building_id end`,
                contactName: sql`excluded.contact_name`,
                contactPhoneEnc: sql`case when organizations.contact_phone_idx is not distinct from excluded.contact_phone_idx then organizations.contact_phone_enc else excluded.contact_phone_enc end`,
                contactPhoneIdx: sql`excluded.contact_phone_idx`,
                employees: sql`excluded.employees`,
                notes: sql`excluded.notes`,
                updatedAt: sql`now()`,
              },
              // The scope condition holds even against a code registered elsewhere meanwhile.
              setWhere: sql`${organizationScope.where(actor)}
                and (organizations.name, organizations.kind, organizations.address, organizations.grid_id,
                organizations.contact_name, organizations.contact_phone_idx, organizations.employees, organizations.notes)
                is distinct from (excluded.name, excluded.kind, excluded.address, excluded.grid_id,
                excluded.contact_name, excluded.contact_phone_idx, excluded.employees, excluded.notes)`,
            })
            .returning({ creditCode: organizations.creditCode })
        : [];
      const writtenCodes = new Set(written.map((w) => w.creditCode));
      const unseen = kept.filter((r) => !stored.has(r.creditCode) && !writtenCodes.has(r.creditCode));
      if (unseen.length) {
        const late = await tx
          .select({ creditCode: organizations.creditCode, orgPath: organizations.orgPath })
          .from(organizations)
          .where(
            inArray(
              organizations.creditCode,
              unseen.map((r) => r.creditCode),
            ),
          );
        for (const l of late)
          if (registeredElsewhere(actor, l.orgPath))
            refused.push({
              index: rows.findIndex((r) => r.creditCode === l.creditCode),
              reason: otherJurisdictionMessage,
              rule: otherJurisdictionRule,
            });
      }
      for (const r of kept) {
        const s = stored.get(r.creditCode);
        if (s && s.gridId !== r.gridId)
          await appendAudit(tx, auditActorOf(actor, meta), {
            action: 'organization.updated',
            targetType: 'organization',
            targetId: s.id,
            payload: { fields: ['gridId'], from: s.gridId, to: r.gridId, via: 'import' },
          });
      }
      return { written: written.length, refused };
    },
    mask: (raw) => ({ ...raw, contactPhone: raw.contactPhone ? maskPhone(raw.contactPhone) : '' }),
  });

export const organizationTemplate = (crypto: FieldCrypto) =>
  templateOf(
    organizationImport(crypto) as never,
    {
      name: '包头市鹿城便利店',
      creditCode: '91150203MA0N12345B',
      kind: '个体商户',
      address: '包头市昆都仑区钢铁大街35号',
      gridCode: '150203001001001',
      contactName: '李明',
      contactPhone: '13812345678',
      employees: 3,
      notes: '示例行，导入前请删除',
    },
    [
      ['单位名称 / 地址 / 网格编码', '必填'],
      ['统一社会信用代码', '必填，18位，最后一位校验码须符合 GB 32100'],
      ['单位类型', `必填：${organizationKinds.map((k) => organizationKindNames[k]).join('、')}`],
      ['联系电话', '选填，11位手机号；加密保存，显示时脱敏'],
      ['重复导入', '按统一社会信用代码更新，同一文件导入两次不会产生重复'],
    ],
  );
