import { AREAS, areaLabel, maskIdNumber, maskPhone } from '@cpe/shared';
import { platformDayStart, platformYear } from '@cpe/shared/platform-zone';
import type {
  TCreditCorrectionInput,
  TCreditPeopleList,
  TCreditPeopleQuery,
  TCreditPerson,
  TCreditPersonRecord,
  TCreditStatRow,
  TCreditStats,
  TCreditStatsBy,
  TCreditStatsQuery,
  TCreditUnitStats,
  TCreditUnitStatsQuery,
} from '@cpe/shared/schemas/credit-admin';
import { CREDIT_PROFESSIONAL_MIN, CREDIT_YEARLY_TARGET, type TCreditList } from '@cpe/shared/schemas/credits';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import type { Pii } from '../../lib/pii.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import { writeWorkbook } from '../../lib/xlsx-writer.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { filterOf } from '../learners/learners.service.js';
import type {
  CreditAdminRepo,
  CreditPeopleFilter,
  CreditPersonRow,
  CreditUnitGroup,
  YearRange,
} from './credit-admin.repo.js';

interface StaffLike {
  id: string;
  displayName: string;
  roles: string[];
  orgNodeId: string | null;
}
interface OrgNodeLike {
  kind: string;
  name: string;
  areaCode: string | null;
}

/** What a staff member may do here, decided once per request. */
export interface CreditViewer {
  staffId: string;
  staffName: string;
  /** The 区县 a 区县人社局 reviewer is limited to; null = the whole city. */
  scope: { areaCode: string; name: string } | null;
  canCorrect: boolean;
  canOpenLearner: boolean;
}

/** met / members with four decimals; 0 — not null, not NaN — for a group without members. */
export const creditRate = (met: number, members: number) =>
  members > 0 ? Math.round((met / members) * 10_000) / 10_000 : 0;

const districtName = (code: string) => AREAS.county_list[code] ?? (areaLabel(code) || code);

/**
 * Hourly: makes sure this year's unit figures exist (credit_unit_years), so that after New Year the first person to
 * open 学时统计 or 数据看板 does not wait for the year's one full pass (seconds at a city's scale).
 */
export const CREDIT_STATS_YEAR_JOB = 'credits.stats.year';

export function yearRange(year: number): YearRange {
  return { year, start: platformDayStart(`${year}-01-01`), end: platformDayStart(`${year + 1}-01-01`) };
}

/**
 * 学时管理 on the console. Permissions, decided here once: 系统管理员 and 培训中心运营 see the whole city, so does a
 * 审核员 of 市人社局; a 审核员 of a 区县人社局 sees people whose current 工作单位 is located in its district and the
 * figures of that district only; anyone else is refused. 学时更正 is for 系统管理员, 培训中心运营 and 市人社局.
 */
export function createCreditAdminService(deps: {
  db: Db;
  repo: CreditAdminRepo;
  clock: Clock;
  pii: Pii;
  audit: AuditRepo;
  staff: { load(id: string): Promise<StaffLike> };
  org: { byId(id: string): Promise<OrgNodeLike | undefined> };
  /** The lead's 学时档案 of a person (credits.service recordOf): every entry with its history, totals per year. */
  recordOf: (accountId: string) => Promise<TCreditList>;
}) {
  const { db, repo, clock, pii, audit } = deps;

  async function viewer(staffId: string): Promise<CreditViewer> {
    const staff = await deps.staff.load(staffId);
    const sysadmin = staff.roles.includes('sysadmin');
    const training = sysadmin || staff.roles.includes('training-operator');
    const node = staff.orgNodeId ? await deps.org.byId(staff.orgNodeId) : undefined;
    const reviewer = staff.roles.includes('reviewer');
    const base = { staffId, staffName: staff.displayName, canOpenLearner: training };
    if (training || (reviewer && node?.kind === 'city')) return { ...base, scope: null, canCorrect: true };
    if (reviewer && node?.kind === 'district' && node.areaCode)
      return { ...base, scope: { areaCode: node.areaCode, name: node.name }, canCorrect: false };
    throw new AppError('CREDIT_ADMIN_FORBIDDEN');
  }

  const thisYear = () => platformYear(clock.now());

  function personOf(r: CreditPersonRow, year: number): TCreditPerson {
    // Each category at least 0, as the record (credits.service recordOf) and 学时统计 count it: the entries keep a
    // negative 学时更正 as recorded, the figures shown never go below 0.
    const publicHours = Math.max(0, Number(r.public_hours));
    const professionalHours = Math.max(0, Number(r.professional_hours));
    const hours = publicHours + professionalHours;
    return {
      accountId: r.id,
      realName: r.real_name,
      idNumberMasked: maskIdNumber(pii.decrypt(r.id_number_enc)),
      phoneMasked: r.phone_enc ? maskPhone(pii.decrypt(r.phone_enc)) : null,
      unitId: r.unit_id,
      unitName: r.unit_name,
      year,
      hours,
      publicHours,
      professionalHours,
      met: hours >= CREDIT_YEARLY_TARGET && professionalHours >= CREDIT_PROFESSIONAL_MIN,
    };
  }

  /** The person as the viewer may see them: 404 without an account, 403 outside a district reviewer's district. */
  async function person(v: CreditViewer, accountId: string): Promise<TCreditPerson> {
    const year = thisYear();
    const { rows } = await repo.people(db, { accountId }, { year, limit: 1, offset: 0 });
    const row = rows[0];
    if (!row) throw new AppError('CREDIT_PERSON_NOT_FOUND');
    if (v.scope && row.unit_area !== v.scope.areaCode) throw new AppError('CREDIT_PERSON_OUT_OF_SCOPE');
    return personOf(row, year);
  }

  async function record(v: CreditViewer, accountId: string): Promise<TCreditPersonRecord> {
    const p = await person(v, accountId);
    return {
      person: p,
      record: await deps.recordOf(accountId),
      canCorrect: v.canCorrect,
      canOpenLearner: v.canOpenLearner,
    };
  }

  function statRow(key: string, label: string, members: number, met: number): TCreditStatRow {
    return { key, label, members, met, unmet: members - met, rate: creditRate(met, members) };
  }

  /** Years credit_unit_years is known to hold (they are never dropped): asked of the database once per process. */
  const keptYears = new Set<number>();
  async function ensureYear(year: number) {
    if (year > thisYear()) throw fieldError('VALIDATION_FAILED', 'year', '年度不能晚于今年');
    if (keptYears.has(year)) return;
    await db.transaction((tx) => repo.ensureYear(tx, yearRange(year)));
    keptYears.add(year);
  }

  /** Every group of the dimension (with 0 where nobody is counted) and the whole; `scope` narrows both. */
  async function groupFigures(year: number, by: TCreditStatsBy, scope: CreditViewer['scope']) {
    await ensureYear(year);
    const counted = await repo.groupStats(db, yearRange(year), by, scope?.areaCode);
    const byKey = new Map(counted.map((r) => [r.key, r]));
    let keys: Array<{ key: string; label: string }>;
    if (by === 'district') {
      const nodes = scope ? [{ area_code: scope.areaCode }] : await repo.districts(db);
      keys = nodes.map((n) => ({ key: n.area_code, label: districtName(n.area_code) }));
    } else {
      keys = (await repo.unitTypes(db)).map((t) => ({ key: t, label: t }));
    }
    // A unit located in an area without a bureau, or of a 单位类型 no longer offered, still counts where it is.
    const known = new Set(keys.map((k) => k.key));
    for (const k of byKey.keys())
      if (!known.has(k)) keys.push({ key: k, label: by === 'district' ? districtName(k) : k });
    const members = counted.reduce((n, r) => n + r.members, 0);
    const met = counted.reduce((n, r) => n + r.met, 0);
    return {
      rows: keys.map((k) => statRow(k.key, k.label, byKey.get(k.key)?.members ?? 0, byKey.get(k.key)?.met ?? 0)),
      total: { members, met, unmet: members - met, rate: creditRate(met, members) },
    };
  }

  async function stats(staffId: string, q: TCreditStatsQuery): Promise<TCreditStats> {
    const v = await viewer(staffId);
    return { year: q.year, by: q.by, scope: v.scope, ...(await groupFigures(q.year, q.by, v.scope)) };
  }

  function unitGroup(v: CreditViewer, q: Pick<TCreditUnitStatsQuery, 'district' | 'unitType'>) {
    if (v.scope && q.district && q.district !== v.scope.areaCode) throw new AppError('CREDIT_STATS_SCOPE');
    const group: CreditUnitGroup = { scopeArea: v.scope?.areaCode, district: q.district, unitType: q.unitType };
    const parts = [q.district ? districtName(q.district) : v.scope ? districtName(v.scope.areaCode) : '', q.unitType];
    const label = parts.filter(Boolean).join(' · ') || '全部单位';
    return { group, label };
  }

  return {
    viewer,

    /** 学时查询: by 姓名 (contains), full 证件号码 or 手机号 (exact); numbers masked. */
    async people(staffId: string, q: TCreditPeopleQuery): Promise<TCreditPeopleList> {
      const v = await viewer(staffId);
      const f = filterOf(pii, q.keyword);
      // An old 永居证 could also begin a username: here only 姓名 and exact numbers are asked for.
      const filter: CreditPeopleFilter =
        'idDocument' in f
          ? { idDocument: f.idDocument }
          : 'phoneHash' in f
            ? { phoneHash: f.phoneHash }
            : { name: 'text' in f ? f.text : q.keyword };
      const year = thisYear();
      const { rows, total } = await repo.people(db, filter, {
        scopeArea: v.scope?.areaCode,
        year,
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
      return { items: rows.map((r) => personOf(r, year)), total, page: q.page, pageSize: q.pageSize };
    },

    async record(staffId: string, accountId: string): Promise<TCreditPersonRecord> {
      return record(await viewer(staffId), accountId);
    },

    /**
     * 学时更正: a confirmed entry of its own (source correction) with the reason, its history event and the audit
     * record in one transaction; the record as it reads afterwards.
     */
    async correct(
      staffId: string,
      accountId: string,
      input: TCreditCorrectionInput,
      meta: RequestMeta,
    ): Promise<TCreditPersonRecord> {
      const v = await viewer(staffId);
      if (!v.canCorrect) throw new AppError('CREDIT_CORRECT_FORBIDDEN');
      if (input.year > thisYear()) throw fieldError('VALIDATION_FAILED', 'year', '更正年度不能晚于今年');
      await person(v, accountId);
      const idHash = await repo.holderHash(db, accountId);
      if (!idHash) throw new AppError('CREDIT_PERSON_NOT_FOUND');
      const at = clock.now();
      await db.transaction(async (tx) => {
        const entry = await repo.addCorrection(tx, {
          idHash,
          year: input.year,
          category: input.category,
          form: input.form,
          title: input.title,
          hours: input.hours,
          reason: input.reason,
          actor: { id: staffId, name: v.staffName },
          at,
        });
        await audit.record(tx, {
          actorType: 'staff',
          actorId: staffId,
          action: 'credit.correct',
          targetType: 'credit_entry',
          targetId: entry.id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: {
            accountId,
            year: input.year,
            category: input.category,
            form: input.form,
            hours: input.hours,
            title: input.title,
            reason: input.reason,
          },
        });
      });
      return record(v, accountId);
    },

    /** 学时统计: 达标率 of the year by 区县 or 单位类型, with the city's (or the district's) whole. */
    stats,

    /** The units of one 区县 / 单位类型 with their 达标率, sorted and paged. */
    async unitStats(staffId: string, q: TCreditUnitStatsQuery): Promise<TCreditUnitStats> {
      const v = await viewer(staffId);
      const { group, label } = unitGroup(v, q);
      await ensureYear(q.year);
      const { rows, total } = await repo.unitStats(db, yearRange(q.year), group, {
        sort: q.sort,
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
      return {
        year: q.year,
        groupLabel: label,
        items: rows.map((r) => ({
          unitId: r.id,
          unitName: r.name,
          districtLabel: districtName(r.located_area),
          unitType: r.unit_type,
          members: Number(r.members),
          met: Number(r.met),
          unmet: Number(r.members) - Number(r.met),
          rate: Number(r.rate),
        })),
        total,
        page: q.page,
        pageSize: q.pageSize,
      };
    },

    /** 学时统计 as Excel: the groups and the whole; audited like every export. */
    async statsXlsx(staffId: string, q: TCreditStatsQuery, meta: RequestMeta) {
      const s = await stats(staffId, q);
      const first = q.by === 'district' ? '区县' : '单位类型';
      const wholeLabel = s.scope ? `合计（${districtName(s.scope.areaCode)}）` : '全市合计';
      const data = await writeWorkbook([
        {
          name: `${q.year}年度学时达标率`,
          columns: [
            { header: first, width: 20 },
            { header: '人数', width: 10, kind: 'number' },
            { header: '达标人数', width: 10, kind: 'number' },
            { header: '未达标人数', width: 12, kind: 'number' },
            { header: '达标率', width: 10, kind: 'percent' },
          ],
          rows: [
            ...s.rows.map((r) => [r.label, r.members, r.met, r.unmet, r.rate]),
            [wholeLabel, s.total.members, s.total.met, s.total.unmet, s.total.rate],
          ],
          style: (ws) => {
            ws.getRow(s.rows.length + 2).font = { bold: true };
          },
        },
      ]);
      await audit.record(db, {
        actorType: 'staff',
        actorId: staffId,
        action: 'credit.stats.export',
        targetType: 'credit_stats',
        ip: meta.ip,
        userAgent: meta.userAgent,
        summary: { year: q.year, by: q.by, scope: s.scope?.areaCode ?? null },
      });
      return { filename: `${q.year}年度学时统计（按${first}）.xlsx`, data };
    },

    /** The drill-down's every unit (not one page) as Excel; audited. */
    async unitStatsXlsx(staffId: string, q: TCreditUnitStatsQuery, meta: RequestMeta) {
      const v = await viewer(staffId);
      const { group, label } = unitGroup(v, q);
      await ensureYear(q.year);
      const { rows } = await repo.unitStats(db, yearRange(q.year), group, { sort: q.sort });
      const data = await writeWorkbook([
        {
          name: `${q.year}年度单位学时达标率`,
          columns: [
            { header: '单位名称', width: 36 },
            { header: '所在区县', width: 12 },
            { header: '单位类型', width: 14 },
            { header: '人数', width: 10, kind: 'number' },
            { header: '达标人数', width: 10, kind: 'number' },
            { header: '未达标人数', width: 12, kind: 'number' },
            { header: '达标率', width: 10, kind: 'percent' },
          ],
          rows: rows.map((r) => [
            r.name,
            districtName(r.located_area),
            r.unit_type,
            Number(r.members),
            Number(r.met),
            Number(r.members) - Number(r.met),
            Number(r.rate),
          ]),
        },
      ]);
      await audit.record(db, {
        actorType: 'staff',
        actorId: staffId,
        action: 'credit.stats.export',
        targetType: 'credit_stats',
        ip: meta.ip,
        userAgent: meta.userAgent,
        summary: {
          year: q.year,
          district: q.district ?? null,
          unitType: q.unitType ?? null,
          scope: v.scope?.areaCode ?? null,
        },
      });
      return { filename: `${q.year}年度学时统计（${label}）.xlsx`, data };
    },

    /** CREDIT_STATS_YEAR_JOB. */
    keepThisYear: () => ensureYear(thisYear()),

    /** 数据看板: the year's 达标率 by 区县 and the whole, for a viewer the dashboard has already let in. */
    async yearByDistrict(asked: number, scope: { areaCode: string; name: string } | null) {
      // A range reaching into next year (typed into the address) reads as this year's figures.
      const year = Math.min(asked, thisYear());
      return { year, ...(await groupFigures(year, 'district', scope)) };
    },
  };
}
export type CreditAdminService = ReturnType<typeof createCreditAdminService>;
