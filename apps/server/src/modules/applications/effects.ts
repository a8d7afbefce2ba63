import type { Executor } from '../../db/client.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { ApplicationRow } from './applications.repo.js';

/** Who took the final 审核通过 (a 市人社局 reviewer). */
export interface EffectActor {
  actorType: 'account' | 'staff';
  actorId: string;
  actorName: string;
  departmentName: string;
}

/**
 * What an approval does beyond the application itself, run inside the approving transaction (all or nothing):
 * 计划变化 rewrites its 开班方案, 结业 issues certificates and 学时, a 基地申报 designates the base.
 * `parent` and `project` are the approved applications above `app` (开班方案 → 市级高级研修项目).
 */
export interface ApprovalContext {
  tx: Executor;
  app: ApplicationRow;
  parent?: ApplicationRow;
  project?: ApplicationRow;
  actor: EffectActor;
  meta: RequestMeta;
  now: Date;
}
export type ApprovalEffect = (c: ApprovalContext) => Promise<unknown>;
