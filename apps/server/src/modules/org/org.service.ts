import { countiesUnder } from '@cpe/shared';
import type { Db } from '../../db/client.js';
import type { OrgRepo } from './org.repo.js';

export interface OrgRegion {
  /** 2-digit province code whose counties become the 区县人社局 (Chongqing: 50 → 38 nodes). */
  provinceCode: string;
  cityBureauName: string;
}

/** 渝中区 → 渝中区人力资源和社会保障局; 石柱土家族自治县 → 石柱土家族自治县人力资源和社会保障局. */
export const districtBureauName = (county: string) => `${county}人力资源和社会保障局`;

export function createOrgService(deps: { db: Db; repo: OrgRepo; region: OrgRegion }) {
  const { db, repo, region } = deps;
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
      for (const [i, c] of counties.entries()) {
        if (await repo.byAreaCode(db, c.code)) continue;
        await repo.insert(db, {
          kind: 'district',
          name: districtBureauName(c.name),
          areaCode: c.code,
          parentId: city?.id,
          sort: i + 1,
        });
        created++;
      }
      return created;
    },
    reviewers: () => repo.reviewers(db),
    byId: (id: string) => repo.byId(db, id),
    city: () => repo.city(db),
    all: () => repo.all(db),
  };
}
export type OrgService = ReturnType<typeof createOrgService>;
