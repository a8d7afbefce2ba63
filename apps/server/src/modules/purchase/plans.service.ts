import type { TPlan, TPlanInput } from '@cpe/shared';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { PlanRow, PurchaseRepo } from './purchase.repo.js';

/** 学习计划: the training centre's catalogue of 公需科目 plans. */
export function createPlansService(deps: {
  db: Db;
  repo: PurchaseRepo;
  clock: Clock;
  audit: AuditRepo;
  /** The purpose of a stored file, to accept only uploaded covers as covers. */
  filePurpose: (id: string) => Promise<string | undefined>;
}) {
  const { db, repo, clock, audit } = deps;

  async function checkCover(input: TPlanInput) {
    if (input.coverFileId && (await deps.filePurpose(input.coverFileId)) !== 'plan-cover')
      throw fieldError('VALIDATION_FAILED', 'coverFileId', '封面图片无效，请重新上传');
  }

  const onSale = (p: PlanRow) => {
    const now = clock.now();
    return p.published && now >= p.saleFrom && now <= p.saleTo;
  };

  function view(p: PlanRow): TPlan {
    const courses = (p.courses ?? []) as TPlan['courses'];
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
    courses: input.courses,
    published: input.published,
  });

  return {
    view,
    onSale,
    /** The portal's 公需科目: published plans (on sale first). */
    async catalogue() {
      const rows = (await repo.plans(db, true)).map(view);
      rows.sort((a, b) => Number(b.onSale) - Number(a.onSale));
      return { items: rows, total: rows.length };
    },
    async all() {
      const rows = (await repo.plans(db, false)).map(view);
      return { items: rows, total: rows.length };
    },
    async get(id: string, opts: { publishedOnly: boolean }) {
      const p = await repo.planById(db, id);
      if (!p || (opts.publishedOnly && !p.published)) throw new AppError('NOT_FOUND', { message: '学习计划不存在' });
      return p;
    },
    async create(staffId: string, input: TPlanInput, meta: RequestMeta) {
      await checkCover(input);
      return view(
        await db.transaction(async (tx) => {
          const p = await repo.insertPlan(tx, columns(input));
          await audit.record(tx, {
            actorType: 'staff',
            actorId: staffId,
            action: 'plan.create',
            targetType: 'training_plan',
            targetId: p.id,
            ip: meta.ip,
            userAgent: meta.userAgent,
            summary: { name: p.name, priceFen: p.priceFen, published: p.published },
          });
          return p;
        }),
      );
    },
    async update(staffId: string, id: string, input: TPlanInput, meta: RequestMeta) {
      const before = await repo.planById(db, id);
      if (!before) throw new AppError('NOT_FOUND', { message: '学习计划不存在' });
      await checkCover(input);
      return view(
        await db.transaction(async (tx) => {
          const p = (await repo.updatePlan(tx, id, columns(input))) as PlanRow;
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
          return p;
        }),
      );
    },
  };
}
export type PlansService = ReturnType<typeof createPlansService>;
