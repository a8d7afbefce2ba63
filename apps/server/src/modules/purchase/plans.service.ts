import type { TPlan, TPlanCourseRef, TPlanInput } from '@cpe/shared';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { CoursesService } from '../courses/courses.service.js';
import type { PlanRow, PurchaseRepo } from './purchase.repo.js';

/** 学习计划: the training centre's catalogue of 公需科目 plans. */
export function createPlansService(deps: {
  db: Db;
  repo: PurchaseRepo;
  clock: Clock;
  audit: AuditRepo;
  /** The purpose of a stored file, to accept only uploaded covers as covers. */
  filePurpose: (id: string) => Promise<string | undefined>;
  /** A plan's courses are rows of the 课程管理 catalogue (plan_courses), owned by the courses module. */
  catalogue: CoursesService['planCatalogue'];
}) {
  const { db, repo, clock, audit, catalogue } = deps;

  async function checkCover(input: TPlanInput) {
    if (input.coverFileId && (await deps.filePurpose(input.coverFileId)) !== 'plan-cover')
      throw fieldError('VALIDATION_FAILED', 'coverFileId', '封面图片无效，请重新上传');
  }

  const onSale = (p: PlanRow) => {
    const now = clock.now();
    return p.published && now >= p.saleFrom && now <= p.saleTo;
  };

  // 发布 needs the courses' 学时 to reach 要求学时; a draft may be saved short of it.
  function checkHours(input: TPlanInput, total: number) {
    if (input.published && total < input.requiredHours)
      throw fieldError(
        'PLAN_HOURS_SHORT',
        'courseIds',
        `所选课程合计${total}学时，未达到要求学时${input.requiredHours}学时，不能发布`,
      );
  }

  async function view(p: PlanRow, ex: Executor = db): Promise<TPlan> {
    return toPlan(p, (await catalogue.refsOf(ex, [p.id])).get(p.id) ?? []);
  }

  async function views(rows: PlanRow[]): Promise<TPlan[]> {
    const refs = await catalogue.refsOf(
      db,
      rows.map((p) => p.id),
    );
    return rows.map((p) => toPlan(p, refs.get(p.id) ?? []));
  }

  function toPlan(p: PlanRow, courses: TPlanCourseRef[]): TPlan {
    return {
      id: p.id,
      name: p.name,
      year: p.year,
      priceFen: p.priceFen,
      requiredHours: p.requiredHours,
      saleFrom: p.saleFrom.toISOString(),
      saleTo: p.saleTo.toISOString(),
      description: p.description,
      coverFileId: p.coverFileId,
      courses,
      totalHours: courses.reduce((s, c) => s + c.hours, 0),
      published: p.published,
      onSale: onSale(p),
      createdAt: p.createdAt.toISOString(),
    };
  }

  // Field by field: nothing but the plan's own columns reaches the table.
  const columns = (input: TPlanInput) => ({
    name: input.name,
    year: input.year,
    priceFen: input.priceFen,
    requiredHours: input.requiredHours,
    saleFrom: new Date(input.saleFrom),
    saleTo: new Date(input.saleTo),
    description: input.description,
    coverFileId: input.coverFileId,
    published: input.published,
  });

  return {
    view,
    onSale,
    /** The portal's 公需科目: published plans (on sale first). */
    async catalogue() {
      const rows = await views(await repo.plans(db, true));
      rows.sort((a, b) => Number(b.onSale) - Number(a.onSale));
      return { items: rows, total: rows.length };
    },
    async all() {
      const rows = await views(await repo.plans(db, false));
      return { items: rows, total: rows.length };
    },
    async get(id: string, opts: { publishedOnly: boolean }) {
      const p = await repo.planById(db, id);
      if (!p || (opts.publishedOnly && !p.published)) throw new AppError('NOT_FOUND', { message: '学习计划不存在' });
      return p;
    },
    async create(staffId: string, input: TPlanInput, meta: RequestMeta) {
      await checkCover(input);
      return db.transaction(async (tx) => {
        const p = await repo.insertPlan(tx, columns(input));
        checkHours(input, await catalogue.replace(tx, p.id, input.courseIds));
        await audit.record(tx, {
          actorType: 'staff',
          actorId: staffId,
          action: 'plan.create',
          targetType: 'training_plan',
          targetId: p.id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          summary: { name: p.name, priceFen: p.priceFen, published: p.published, courseIds: input.courseIds },
        });
        return view(p, tx);
      });
    },
    async update(staffId: string, id: string, input: TPlanInput, meta: RequestMeta) {
      const before = await repo.planById(db, id);
      if (!before) throw new AppError('NOT_FOUND', { message: '学习计划不存在' });
      await checkCover(input);
      return db.transaction(async (tx) => {
        const p = (await repo.updatePlan(tx, id, columns(input))) as PlanRow;
        checkHours(input, await catalogue.replace(tx, id, input.courseIds));
        await audit.record(tx, {
          actorType: 'staff',
          actorId: staffId,
          action: 'plan.update',
          targetType: 'training_plan',
          targetId: id,
          ip: meta.ip,
          userAgent: meta.userAgent,
          // A price change never touches existing orders: they keep the price they were placed at.
          summary: { from: { priceFen: before.priceFen, published: before.published }, to: input },
        });
        return view(p, tx);
      });
    },
  };
}
export type PlansService = ReturnType<typeof createPlansService>;
