import { countiesUnder, UNIT_TYPES } from '@cpe/shared';
import type { Db } from '../../db/client.js';
import { AppError, fieldError } from '../../lib/errors.js';
import { uniqueViolation } from '../../lib/pg-errors.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { OrgRepo } from './org.repo.js';

export interface OrgRegion {
  /** 2-digit province code whose counties become the 区县人社局 (Chongqing: 50 → 38 nodes). */
  provinceCode: string;
  cityBureauName: string;
}

/** 渝中区 → 渝中区人力资源和社会保障局; 石柱土家族自治县 → 石柱土家族自治县人力资源和社会保障局. */
export const districtBureauName = (county: string) => `${county}人力资源和社会保障局`;

export function createOrgService(deps: { db: Db; repo: OrgRepo; region: OrgRegion; audit: AuditRepo }) {
  const { db, repo, region, audit } = deps;
  return {
    /**
     * The tree is data: 市人社局 and one 区县人社局 per county of the configured province, from GB/T 2260
     * (another province is another ORG_PROVINCE_CODE, not a code change). Idempotent.
     */
    async seed(): Promise<number> {
      let created = 0;
      let city = await repo.city(db);
      if (!city) {
        city = await repo.insert(db, {
          kind: 'city',
          name: region.cityBureauName,
          areaCode: `${region.provinceCode}0000`,
          sort: 0,
        });
        created++;
      }
      const counties = countiesUnder(region.provinceCode);
      // One query for all of them, not one per county: every start after the first finds them all present.
      const present = await repo.presentAreaCodes(
        db,
        counties.map((c) => c.code),
      );
      for (const [i, c] of counties.entries()) {
        if (present.has(c.code)) continue;
        await repo.insert(db, {
          kind: 'district',
          name: districtBureauName(c.name),
          areaCode: c.code,
          parentId: city?.id,
          sort: i + 1,
        });
        created++;
      }
      if ((await repo.unitTypes(db, false)).length === 0) {
        for (const [i, name] of UNIT_TYPES.entries()) await repo.insertUnitType(db, { name, sort: (i + 1) * 10 });
        created += UNIT_TYPES.length;
      }
      return created;
    },

    unitTypes: (activeOnly: boolean) => repo.unitTypes(db, activeOnly),
    async isActiveUnitType(name: string) {
      return (await repo.unitTypes(db, true)).some((t) => t.name === name);
    },
    /** 单位类型 is a managed list: add, rename, reorder or stop offering a type. Audited. */
    async saveUnitType(
      actorId: string,
      input: { id?: number; name: string; sort: number; active: boolean },
      meta: RequestMeta,
    ) {
      try {
        return await db.transaction(async (tx) => {
          const before = input.id ? await repo.unitTypeById(tx, input.id) : undefined;
          if (input.id && !before) throw new AppError('NOT_FOUND', { message: '单位类型不存在' });
          const { id: _id, ...fields } = input;
          const row = before ? await repo.updateUnitType(tx, before.id, fields) : await repo.insertUnitType(tx, fields);
          if (!row) throw fieldError('VALIDATION_FAILED', 'name', '该单位类型已存在');
          await audit.record(tx, {
            actorType: 'staff',
            actorId,
            action: before ? 'unit-type.update' : 'unit-type.create',
            targetType: 'unit_type',
            targetId: String(row.id),
            ip: meta.ip,
            userAgent: meta.userAgent,
            summary: { before: before ?? null, after: fields },
          });
          return row;
        });
      } catch (err) {
        if (uniqueViolation(err)) throw fieldError('VALIDATION_FAILED', 'name', '该单位类型已存在');
        throw err;
      }
    },
    /**
     * The tree is data an administrator keeps current (a district renamed or merged, a new one): rename,
     * deactivate (no longer offered as 申报地区), or add a 区县人社局 with its GB/T 2260 code. Audited.
     */
    async saveDistrict(
      actorId: string,
      input: { id?: string; name: string; areaCode: string; active: boolean },
      meta: RequestMeta,
    ) {
      const city = await repo.city(db);
      try {
        return await db.transaction(async (tx) => {
          const before = input.id ? await repo.byId(tx, input.id) : undefined;
          if (input.id && before?.kind !== 'district' && before?.kind !== 'department') {
            throw new AppError('NOT_FOUND', { message: '组织机构不存在' });
          }
          const row = before
            ? await repo.update(tx, before.id, {
                name: input.name,
                active: input.active,
                ...(before.kind === 'district' ? { areaCode: input.areaCode } : {}),
              })
            : await repo.insert(tx, {
                kind: 'district',
                name: input.name,
                areaCode: input.areaCode,
                parentId: city?.id ?? null,
                active: input.active,
                sort: 500,
              });
          if (!row) throw fieldError('VALIDATION_FAILED', 'areaCode', '该行政区划代码已有对应的区县人社局');
          await audit.record(tx, {
            actorType: 'staff',
            actorId,
            action: before ? 'org.node.update' : 'org.node.create',
            targetType: 'org_node',
            targetId: row.id,
            ip: meta.ip,
            userAgent: meta.userAgent,
            summary: { before: before ? { name: before.name, active: before.active } : null, after: input },
          });
          return row;
        });
      } catch (err) {
        if (uniqueViolation(err))
          throw fieldError('VALIDATION_FAILED', 'areaCode', '该行政区划代码已有对应的区县人社局');
        throw err;
      }
    },
    reviewers: () => repo.reviewers(db),
    byId: (id: string) => repo.byId(db, id),
    byAreaCode: (code: string) => repo.byAreaCode(db, code),
    /** The 主管部门 node of a unit registered as 主管部门 (none for an ordinary unit). */
    byUnit: (unitId: string) => repo.byUnit(db, unitId),
    city: () => repo.city(db),
    all: () => repo.all(db),
  };
}
export type OrgService = ReturnType<typeof createOrgService>;
