import fs from 'node:fs';
import path from 'node:path';
import { ADVANCED_SEMINAR, idNumberCheckChar, type TUnitData, usccCheckChar } from '@cpe/shared';
import { platformDay, platformDayEnd, platformDayStart, platformYear } from '@cpe/shared/platform-zone';
import type { AppContext } from './context.js';
import { loadSharp } from './lib/lazy.js';
import { hashPassword } from './lib/password.js';
import { seedDemoSeminars } from './modules/applications/applications.demo.js';
import { seedDemoCourses } from './modules/courses/courses.demo.js';
import { seedDemoClaim, seedDemoCredits } from './modules/credits/credits.demo.js';
import { seedDemoFaqs } from './modules/help/help.demo.js';
import { createHelpRepo } from './modules/help/help.repo.js';
import { createIdentityRepo } from './modules/identity/identity.repo.js';
import { seedDemoNotices } from './modules/notices/notices.demo.js';
import { DEMO_CA, ensureDemoCa } from './modules/sso/demo-ca.js';

const id = (first17: string) => first17 + idNumberCheckChar(first17);
const uscc = (first17: string) => first17 + usccCheckChar(first17);

/** Demo accounts printed at start. Passwords follow the platform's own rules. */
export const DEMO_ACCOUNTS = {
  staffAdmin: { username: 'admin', password: 'Admin@2026', displayName: '系统管理员' },
  staffReviewers: [
    { username: 'yuzhong', password: 'Review@2026', displayName: '渝中区审核员', node: '500103' },
    { username: 'shiju', password: 'Review@2026', displayName: '市人社局审核员', node: '500000' },
  ],
  trainingOperator: { username: 'peixun', password: 'Train@2026', displayName: '培训中心运营' },
  learner: {
    username: 'zhangsan',
    password: 'Demo@2026',
    realName: '张三',
    idNumber: id('50010319900101123'),
    phone: '13800138000',
  },
  unitAdmin: {
    username: 'wangwu',
    password: 'Demo@2026',
    realName: '王五',
    idNumber: id('50010319850305211'),
    phone: '13800138001',
  },
  departmentAdmin: {
    username: 'lisi',
    password: 'Demo@2026',
    realName: '李四',
    idNumber: id('50010219800712422'),
    phone: '13800138002',
  },
} as const;

/** 重庆渝中示例科技有限公司: its administrator (wangwu) can log in as 法人用户 with this code. */
export const DEMO_UNIT_USCC = uscc('91500103MA5U7Q2X8');
export const DEMO_UNIT_NAME = '重庆渝中示例科技有限公司';

const DEMO_UNITS = [
  {
    admin: 'departmentAdmin',
    data: {
      category: 'department',
      unitName: '重庆市卫生健康委员会',
      uscc: uscc('11500000MB1532147'),
      unitType: '机关',
      reviewer: '500103',
    },
  },
  {
    admin: 'unitAdmin',
    data: {
      category: 'unit',
      unitName: DEMO_UNIT_NAME,
      uscc: DEMO_UNIT_USCC,
      unitType: '企业',
      // Registered under its 主管部门 (lisi's), so its 基地申报 go 主管部门 → 渝中区人社局 → 市人社局.
      reviewer: 'department:重庆市卫生健康委员会',
    },
  },
] as const;

/** Idempotent: a second start finds everything present and adds nothing. */
/** site_settings key of the last complete demo seed (see seedDemoData's `build`). */
const DEMO_SEED_KEY = 'demo-seed';

/**
 * Creates what is missing of the demo data (idempotent). `build` names the compiled server running it (its
 * dist.<hash> folder): a start of the same build, in the same year, at the same PUBLIC_URL, with the demo CA's
 * file still there, finds the mark of a complete seed and skips the ~40 queries of checking everything again — half
 * a second of every restart (issue 22). Any change to the code is a new build and checks again; without `build`
 * (tests, `npm run dev`) everything is always checked. Something deleted from the demo data since is not recreated
 * by a restart of the same build, as an operator who deleted it would expect.
 */
export async function seedDemoData(ctx: AppContext, opts: { build?: string } = {}): Promise<{ created: string[] }> {
  const help = createHelpRepo();
  const mark = opts.build && {
    build: opts.build,
    year: platformYearOf(ctx),
    publicUrl: ctx.config.publicUrl,
  };
  if (mark && demoCaExists(ctx.config.dataDir)) {
    const last = (await help.setting(ctx.db, DEMO_SEED_KEY))?.value as typeof mark | undefined;
    if (last && Object.entries(mark).every(([k, v]) => last[k as keyof typeof mark] === v)) return { created: [] };
  }
  const created: string[] = [];
  // Demo units and reviewers hang off the organisation tree: make sure it is there (idempotent), so callers
  // other than the server's start (bench/run.ts) get the same demo data.
  await ctx.org.seed();
  await ctx.calendar.ensureSeeded();
  const nodes = await ctx.org.all();
  const nodeByArea = (code: string) => nodes.find((n) => n.areaCode === code)?.id ?? null;

  const a = DEMO_ACCOUNTS.staffAdmin;
  if (await ctx.staff.ensure({ ...a, roles: ['sysadmin', 'recovery-handler'], orgNodeId: nodeByArea('500000') })) {
    created.push(`staff:${a.username}`);
  }
  for (const r of DEMO_ACCOUNTS.staffReviewers) {
    if (await ctx.staff.ensure({ ...r, roles: ['reviewer'], orgNodeId: nodeByArea(r.node) }))
      created.push(`staff:${r.username}`);
  }

  const repo = createIdentityRepo();
  const people = {
    learner: DEMO_ACCOUNTS.learner,
    unitAdmin: DEMO_ACCOUNTS.unitAdmin,
    departmentAdmin: DEMO_ACCOUNTS.departmentAdmin,
  };
  const accountIds: Record<string, string> = {};
  for (const [key, p] of Object.entries(people)) {
    const existing = await repo.accountByUsername(ctx.db, p.username);
    if (existing) {
      accountIds[key] = existing.id;
      continue;
    }
    const now = ctx.clock.now();
    const passwordHash = await hashPassword(p.password);
    accountIds[key] = await ctx.db.transaction(async (tx) => {
      const account = await repo.insertAccount(tx, {
        username: p.username,
        passwordHash,
        realName: p.realName,
        idType: 'idCard',
        idNumberHash: ctx.pii.lookupHash(p.idNumber),
        idNumberEnc: ctx.pii.encrypt(p.idNumber),
        phoneHash: ctx.pii.lookupHash(p.phone),
        phoneEnc: ctx.pii.encrypt(p.phone),
        realNameVerifiedAt: now,
        realNameSource: 'seed',
      });
      await ctx.audit.record(tx, {
        actorType: 'system',
        action: 'account.seed',
        targetType: 'account',
        targetId: account.id,
      });
      return account.id;
    });
    created.push(`account:${p.username}`);
  }

  // Units go through the real registration and review, so their history looks like any other.
  const admin = await ctx.staff.load((await repo.staffByUsername(ctx.db, a.username))?.id as string);
  for (const u of DEMO_UNITS) {
    const accountId = accountIds[u.admin] as string;
    if (await ctx.units.unitOfAdmin(accountId)) continue;
    const sharp = await loadSharp();
    const doc = await sharp({ create: { width: 400, height: 280, channels: 3, background: '#f3efe6' } })
      .png()
      .toBuffer();
    const licenceFileId = await ctx.files.save(ctx.db, {
      data: doc,
      mime: 'image/png',
      purpose: 'licence',
      ownerAccountId: accountId,
    });
    const authorizationFileId = await ctx.files.save(ctx.db, {
      data: doc,
      mime: 'image/png',
      purpose: 'authorization',
      ownerAccountId: accountId,
    });
    const data: TUnitData = {
      category: u.data.category,
      unitName: u.data.unitName,
      uscc: u.data.uscc,
      usccManualCheck: false,
      licenceFileId,
      regArea: '500103',
      insuredArea: '500103',
      locatedArea: '500103',
      address: '重庆市渝中区示例路1号',
      unitType: u.data.unitType,
      isGrassroots: false,
      reviewerNodeId: (u.data.reviewer.startsWith('department:')
        ? (await ctx.org.all()).find((n) => n.kind === 'department' && `department:${n.name}` === u.data.reviewer)?.id
        : nodeByArea(u.data.reviewer)) as string,
      authorizationFileId,
    };
    const meta = { ip: '127.0.0.1', userAgent: 'seed' };
    const app = await ctx.unitRegistration.submit(accountId, data, meta);
    await ctx.unitReview.decide(
      { nodeId: null, actorType: 'staff', actorId: admin.id, actorName: admin.displayName, reviewerName: '系统管理员' },
      app.id,
      { decision: 'approve', reason: '' },
      meta,
    );
    created.push(`unit:${u.data.unitName}`);
  }

  const t = DEMO_ACCOUNTS.trainingOperator;
  if (await ctx.staff.ensure({ ...t, roles: ['training-operator'], orgNodeId: nodeByArea('500000') }))
    created.push(`staff:${t.username}`);

  // This year's 市级高级研修项目 batch, open all year so the demo can file at any date.
  const year = platformYearOf(ctx);
  const batches = await ctx.applications.batches(ADVANCED_SEMINAR.key);
  if (!batches.items.some((b) => b.year === year)) {
    await ctx.applications.createBatch(
      { actorId: admin.id, actorName: admin.displayName, departmentName: '系统管理员' },
      {
        type: ADVANCED_SEMINAR.key,
        year,
        opensAt: platformDayStart(`${year}-01-01`).toISOString(),
        deadline: platformDayEnd(`${year}-12-31`).toISOString(),
      },
      { ip: '127.0.0.1', userAgent: 'seed' },
    );
    created.push(`batch:${ADVANCED_SEMINAR.key}:${year}`);
  }

  // 单位中心's 高研班 after approval: wangwu's unit has a project waiting for 开班方案 and one waiting for 结业上报.
  const shiju = await repo.staffByUsername(ctx.db, 'shiju');
  if (shiju)
    created.push(
      ...(await seedDemoSeminars(ctx, accountIds.unitAdmin as string, {
        level: 'city',
        nodeId: null,
        actorType: 'staff',
        actorId: shiju.id,
        actorName: shiju.displayName,
        departmentName: ctx.config.org.cityBureauName,
      })),
    );

  // 课程管理's demo catalogue (real generated videos), then this year's 公需科目 plan made of it, on sale all year.
  const demoCourses = await seedDemoCourses(ctx, admin.id);
  if (demoCourses.created) created.push(`courses:${demoCourses.ids.length}`);
  const plans = await ctx.purchase.plans.all();
  const thisYear = plans.items.find((p) => p.year === year);
  // A plan seeded before the catalogue existed gets the demo courses, so it can be studied.
  if (thisYear && thisYear.courses.length === 0 && demoCourses.ids.length)
    await ctx.courses.planCatalogue.replace(ctx.db, thisYear.id, demoCourses.ids);
  if (!thisYear) {
    await ctx.purchase.plans.create(
      admin.id,
      {
        name: `重庆市${year}年专技人员继续教育公需科目培训`,
        year,
        priceFen: 12_000,
        requiredHours: 30,
        saleFrom: platformDayStart(`${year}-01-01`).toISOString(),
        saleTo: platformDayEnd(`${year}-12-31`).toISOString(),
        description:
          '根据公需科目培训要求学习完成30学时课程，方可获得证书。平台已开启防挂机功能，学习过程中请注意答题；一个课程有多个章节，需要学习完每个章节才可获得学分。',
        coverFileId: null,
        courseIds: demoCourses.ids,
        published: true,
      },
      { ip: '127.0.0.1', userAgent: 'seed' },
    );
    created.push(`plan:${year}`);
  }
  const faqs = await seedDemoFaqs(ctx, admin.id);
  if (faqs) created.push(`faqs:${faqs}`);
  const notices = await seedDemoNotices(ctx, admin.id, platformYearOf(ctx));
  if (notices) created.push(`notices:${notices}`);
  // 学时档案: 张三 at 王五's unit, last year complete, this year short.
  const credits = await seedDemoCredits(ctx.db, {
    username: DEMO_ACCOUNTS.learner.username,
    unitName: DEMO_UNIT_NAME,
    year: platformYearOf(ctx),
    now: ctx.clock.now(),
  });
  if (credits) created.push(`credits:${credits}`);
  // …and one 学时登记 of this year waiting for 王五's confirmation in 单位中心 → 学时审核.
  const claimed = await seedDemoClaim(ctx.db, ctx.creditClaims, {
    username: DEMO_ACCOUNTS.learner.username,
    today: platformDay(ctx.clock.now()),
    photo: async () => {
      const sharp = await loadSharp();
      // A drawn stand-in for the photo (no text: fonts differ between machines).
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="420"><rect width="640" height="420" fill="#e8eef7"/><rect x="40" y="40" width="560" height="90" rx="8" fill="#1d4f91"/><rect x="80" y="180" width="480" height="160" rx="6" fill="#c7d6ea"/><circle cx="160" cy="250" r="36" fill="#8aa6cc"/><circle cx="320" cy="250" r="36" fill="#8aa6cc"/><circle cx="480" cy="250" r="36" fill="#8aa6cc"/></svg>`;
      return sharp(Buffer.from(svg)).png().toBuffer();
    },
  });
  if (claimed) created.push('credit-claim:1');
  // 第三方登录: 微信 through the local stand-in (app.ts mounts it in demo mode).
  if (await ctx.loginProviders.seedDemoWechat(ctx.config.sessionSecret)) created.push('login-provider:wechat');
  // CA 证书登录: a demo CA with 张三's and 王五's unit's certificates; the demo signing page stands in for the USB key.
  const demoCa = await ensureDemoCa(
    ctx.config.dataDir,
    {
      person: { realName: DEMO_ACCOUNTS.learner.realName, idNumber: DEMO_ACCOUNTS.learner.idNumber },
      unit: { name: DEMO_UNIT_NAME, uscc: DEMO_UNIT_USCC },
    },
    ctx.clock.now(),
  );
  if (await ctx.loginProviders.seedDemoCa(demoCa.ca.certificate)) created.push('login-provider:ca');
  if (mark) await help.putSetting(ctx.db, DEMO_SEED_KEY, mark, admin.id, ctx.clock.now());
  return { created };
}

function demoCaExists(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, DEMO_CA.file));
}

function platformYearOf(ctx: AppContext): number {
  return platformYear(ctx.clock.now());
}
