import {
  noticeImageIds,
  renderNoticeMarkdown,
  type TNoticeAdmin,
  type TNoticeAdminList,
  type TNoticeFile,
  type TNoticePublic,
  type TNoticePublicList,
  type TNoticeStatus,
  type ZNoticeAdminQuery,
  type ZNoticeInput,
} from '@cpe/shared';
import type { TAuditAction } from '@cpe/shared/audit';
import type { z } from 'zod';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError } from '../../lib/errors.js';
import type { RequestMeta } from '../../lib/request-meta.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { FilesService } from '../files/files.service.js';
import type { OrgRepo } from '../org/org.repo.js';
import type { StaffService } from '../staff/staff.service.js';
import type { NoticeRow, NoticesRepo, NoticeViewer } from './notices.repo.js';

export const NOTICE_IMAGE = 'notice-image';
export const NOTICE_ATTACHMENT = 'notice-attachment';

type NoticeInput = z.output<typeof ZNoticeInput>;
type AdminQuery = z.output<typeof ZNoticeAdminQuery>;

/** What a member of staff may manage: every notice, or only those addressed to their own 区县. */
export type NoticeScope = { districtCode: string; districtName: string } | null;

/** The state staff set and the clock together (a 定时发布 notice is published but not started yet). */
export function noticeStatus(n: Pick<NoticeRow, 'state' | 'publishAt' | 'withdrawAt'>, now: Date): TNoticeStatus {
  if (n.state === 'draft') return 'draft';
  if (n.state === 'withdrawn' || (n.withdrawAt && n.withdrawAt <= now)) return 'withdrawn';
  return n.publishAt > now ? 'scheduled' : 'published';
}

/**
 * 通知公告: staff write, publish and withdraw notices (district staff only for their own 区县); the portal shows
 * the live ones addressed to the reader. Every change is audited in its own transaction.
 */
export function createNoticesService(deps: {
  db: Db;
  repo: NoticesRepo;
  files: FilesService;
  clock: Clock;
  audit: AuditRepo;
  org: OrgRepo;
  staff: Pick<StaffService, 'load'>;
  /** The unit a portal account administers, if any (with the node it registered with and where it is). */
  unitOfAdmin: (accountId: string) => Promise<{ reviewerNodeId: string; locatedArea: string } | undefined>;
}) {
  const { db, repo, files, clock, audit, org, staff, unitOfAdmin } = deps;

  async function fileList(ids: string[]): Promise<TNoticeFile[]> {
    const out: TNoticeFile[] = [];
    for (const id of ids) {
      const f = await files.meta(id);
      if (f) out.push({ id: f.id, name: f.originalName ?? '附件', mime: f.mime, size: f.size });
    }
    return out;
  }

  async function districtName(code: string | null) {
    if (!code) return null;
    return (await org.byAreaCode(db, code))?.name ?? null;
  }

  const adminImageUrl = (fileId: string) => `/api/admin/notices/images/${fileId}`;

  async function adminView(x: {
    notice: NoticeRow;
    createdByName: string | null;
    updatedByName: string | null;
  }): Promise<TNoticeAdmin> {
    const n = x.notice;
    return {
      id: n.id,
      title: n.title,
      body: n.body,
      html: renderNoticeMarkdown(n.body, adminImageUrl),
      audience: n.audience as TNoticeAdmin['audience'],
      districtCode: n.districtCode,
      districtName: await districtName(n.districtCode),
      pinned: n.pinned,
      publishAt: n.publishAt.toISOString(),
      withdrawAt: n.withdrawAt?.toISOString() ?? null,
      status: noticeStatus(n, clock.now()),
      attachments: await fileList(n.attachmentIds),
      createdByName: x.createdByName,
      updatedByName: x.updatedByName,
      createdAt: n.createdAt.toISOString(),
      updatedAt: n.updatedAt.toISOString(),
    };
  }

  async function scopeOf(staffId: string): Promise<NoticeScope> {
    const s = await staff.load(staffId);
    if (s.roles.includes('sysadmin') || !s.orgNodeId) return null;
    const node = await org.byId(db, s.orgNodeId);
    if (node?.kind !== 'district' || !node.areaCode) return null;
    return { districtCode: node.areaCode, districtName: node.name };
  }

  /** A 区县 staff member manages only notices addressed to their district, and may address no other audience. */
  function checkScope(scope: NoticeScope, n: { audience: string; districtCode: string | null }) {
    if (scope && (n.audience !== 'district' || n.districtCode !== scope.districtCode))
      throw new AppError('NOTICE_FORBIDDEN');
  }

  async function checkInput(input: NoticeInput) {
    if (input.audience === 'district') {
      const node = input.districtCode ? await org.byAreaCode(db, input.districtCode) : undefined;
      if (node?.kind !== 'district') throw fieldError('VALIDATION_FAILED', 'districtCode', '请选择所属区县');
    }
    for (const id of noticeImageIds(input.body)) {
      if ((await files.meta(id))?.purpose !== NOTICE_IMAGE)
        throw fieldError('VALIDATION_FAILED', 'body', '正文中的图片无效，请重新插入');
    }
    for (const [i, id] of input.attachmentIds.entries()) {
      if ((await files.meta(id))?.purpose !== NOTICE_ATTACHMENT)
        throw fieldError('VALIDATION_FAILED', `attachmentIds.${i}`, '附件无效，请重新上传');
    }
  }

  const columns = (input: NoticeInput) => ({
    title: input.title,
    body: input.body,
    imageIds: noticeImageIds(input.body),
    attachmentIds: [...new Set(input.attachmentIds)],
    audience: input.audience,
    districtCode: input.audience === 'district' ? input.districtCode : null,
    pinned: input.pinned,
    publishAt: new Date(input.publishAt),
    withdrawAt: input.withdrawAt ? new Date(input.withdrawAt) : null,
  });

  const record = (
    ex: Executor,
    staffId: string,
    action: TAuditAction,
    n: NoticeRow,
    meta: RequestMeta,
    extra: Record<string, unknown> = {},
  ) =>
    audit.record(ex, {
      actorType: 'staff',
      actorId: staffId,
      action,
      targetType: 'notice',
      targetId: n.id,
      ip: meta.ip,
      userAgent: meta.userAgent,
      summary: { title: n.title, audience: n.audience, districtCode: n.districtCode, ...extra },
    });

  /** Locks the notice and checks it is within the staff member's scope. */
  async function lockedInScope(ex: Executor, scope: NoticeScope, id: string) {
    const n = await repo.forUpdate(ex, id);
    if (!n) throw new AppError('NOT_FOUND', { message: '通知公告不存在' });
    checkScope(scope, n);
    return n;
  }

  async function adminGet(id: string) {
    const x = await repo.adminById(db, id);
    if (!x) throw new AppError('NOT_FOUND', { message: '通知公告不存在' });
    return adminView(x);
  }

  async function viewerOf(accountId: string | undefined): Promise<NoticeViewer> {
    if (!accountId) return { audiences: ['all'], districtCode: null };
    const unit = await unitOfAdmin(accountId);
    if (unit) {
      const node = await org.byId(db, unit.reviewerNodeId);
      const districtCode = node?.kind === 'district' ? node.areaCode : unit.locatedArea;
      return { audiences: ['all', 'unit-admins'], districtCode };
    }
    return { audiences: ['all', 'learners'], districtCode: await repo.learnerDistrict(db, accountId) };
  }

  return {
    scopeOf,

    // ---------------- console ----------------
    async adminList(staffId: string, q: AdminQuery): Promise<TNoticeAdminList> {
      const scope = await scopeOf(staffId);
      const { rows, total } = await repo.adminList(db, {
        ...q,
        now: clock.now(),
        districtCode: scope?.districtCode ?? null,
      });
      const items = [];
      for (const r of rows) items.push(await adminView(r));
      return { items, total, page: q.page, pageSize: q.pageSize, scope };
    },

    async adminGet(staffId: string, id: string) {
      const view = await adminGet(id);
      checkScope(await scopeOf(staffId), view);
      return view;
    },

    async create(staffId: string, input: NoticeInput, meta: RequestMeta) {
      checkScope(await scopeOf(staffId), input);
      await checkInput(input);
      const id = await db.transaction(async (tx) => {
        const now = clock.now();
        const n = await repo.insert(tx, {
          ...columns(input),
          state: 'draft',
          createdBy: staffId,
          updatedBy: staffId,
          createdAt: now,
          updatedAt: now,
        });
        await record(tx, staffId, 'notice.create', n, meta, { pinned: n.pinned });
        return n.id;
      });
      return adminGet(id);
    },

    async update(staffId: string, id: string, input: NoticeInput, meta: RequestMeta) {
      const scope = await scopeOf(staffId);
      checkScope(scope, input);
      await checkInput(input);
      await db.transaction(async (tx) => {
        const before = await lockedInScope(tx, scope, id);
        const after = await repo.update(tx, id, { ...columns(input), updatedBy: staffId, updatedAt: clock.now() });
        const fields = ['title', 'body', 'audience', 'districtCode', 'pinned', 'publishAt', 'withdrawAt'] as const;
        const changed: string[] = fields.filter((k) => String(before[k]) !== String(after[k]));
        if (String(before.attachmentIds) !== String(after.attachmentIds)) changed.push('attachments');
        await record(tx, staffId, 'notice.update', after, meta, { changed });
      });
      return adminGet(id);
    },

    async publish(staffId: string, id: string, meta: RequestMeta) {
      const scope = await scopeOf(staffId);
      await db.transaction(async (tx) => {
        const n = await lockedInScope(tx, scope, id);
        const now = clock.now();
        if (n.state === 'published') throw new AppError('NOTICE_STATE', { message: '该通知公告已发布' });
        if (n.withdrawAt && n.withdrawAt <= now)
          throw fieldError('VALIDATION_FAILED', 'withdrawAt', '撤回时间已过，请修改撤回时间后再发布');
        const after = await repo.update(tx, id, { state: 'published', updatedBy: staffId, updatedAt: now });
        await record(tx, staffId, 'notice.publish', after, meta, {
          publishAt: after.publishAt.toISOString(),
          scheduled: after.publishAt > now,
        });
      });
      return adminGet(id);
    },

    async withdraw(staffId: string, id: string, meta: RequestMeta) {
      const scope = await scopeOf(staffId);
      await db.transaction(async (tx) => {
        const n = await lockedInScope(tx, scope, id);
        const now = clock.now();
        const status = noticeStatus(n, now);
        if (status !== 'published' && status !== 'scheduled')
          throw new AppError('NOTICE_STATE', { message: '只能撤回已发布或定时发布的通知公告' });
        const after = await repo.update(tx, id, {
          state: 'withdrawn',
          withdrawAt: now,
          updatedBy: staffId,
          updatedAt: now,
        });
        await record(tx, staffId, 'notice.withdraw', after, meta);
      });
      return adminGet(id);
    },

    async remove(staffId: string, id: string, meta: RequestMeta) {
      const scope = await scopeOf(staffId);
      await db.transaction(async (tx) => {
        const n = await lockedInScope(tx, scope, id);
        if (n.state !== 'draft') throw new AppError('NOTICE_STATE', { message: '只能删除草稿；已发布的通知请撤回' });
        await repo.remove(tx, id);
        await record(tx, staffId, 'notice.delete', n, meta);
      });
    },

    async upload(kind: 'image' | 'attachment', input: { data: Buffer; mime: string; name?: string }) {
      const purpose = kind === 'image' ? NOTICE_IMAGE : NOTICE_ATTACHMENT;
      const id = await files.save(db, { data: input.data, mime: input.mime, purpose, originalName: input.name });
      return { id, mime: input.mime, size: input.data.length, name: input.name ?? null };
    },

    /** A notice's picture or attachment for the console (any notice file: the editor shows them before saving). */
    async adminFile(kind: 'image' | 'attachment', fileId: string) {
      const meta = await files.meta(fileId);
      if (meta?.purpose !== (kind === 'image' ? NOTICE_IMAGE : NOTICE_ATTACHMENT))
        throw new AppError('NOT_FOUND', { message: '文件不存在' });
      return { ...(await files.read(fileId)), name: meta.originalName ?? '附件' };
    },

    // ---------------- portal ----------------
    async publicList(accountId: string | undefined, page: number, pageSize: number): Promise<TNoticePublicList> {
      const { rows, total } = await repo.visible(db, await viewerOf(accountId), clock.now(), page, pageSize);
      return {
        items: rows.map((n) => ({ id: n.id, title: n.title, pinned: n.pinned, publishAt: n.publishAt.toISOString() })),
        total,
        page,
        pageSize,
      };
    },

    async publicGet(accountId: string | undefined, id: string): Promise<TNoticePublic> {
      const n = await repo.visibleById(db, await viewerOf(accountId), clock.now(), id);
      if (!n) throw new AppError('NOT_FOUND', { message: '通知公告不存在或已撤回' });
      return {
        id: n.id,
        title: n.title,
        pinned: n.pinned,
        publishAt: n.publishAt.toISOString(),
        html: renderNoticeMarkdown(n.body, (fileId) => `/api/notices/${n.id}/images/${fileId}`),
        attachments: await fileList(n.attachmentIds),
      };
    },

    /** A file of a notice the reader may see: its pictures and attachments only. */
    async publicFile(accountId: string | undefined, id: string, kind: 'image' | 'attachment', fileId: string) {
      const n = await repo.visibleById(db, await viewerOf(accountId), clock.now(), id);
      const ids = kind === 'image' ? n?.imageIds : n?.attachmentIds;
      if (!ids?.includes(fileId)) throw new AppError('NOT_FOUND', { message: '文件不存在' });
      const meta = await files.meta(fileId);
      return { ...(await files.read(fileId)), name: meta?.originalName ?? '附件' };
    },
  };
}
export type NoticesService = ReturnType<typeof createNoticesService>;
