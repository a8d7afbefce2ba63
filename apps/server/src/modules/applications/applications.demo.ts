import { ADVANCED_SEMINAR, type ApplicationData, CLASS_PLAN } from '@cpe/shared';
import { platformDay, platformDayStart } from '@cpe/shared/platform-zone';
import type { AppContext } from '../../context.js';
import { loadSharp } from '../../lib/lazy.js';
import type { Reviewer } from './application-core.js';
import { unitFiler } from './principals.js';

const META = { ip: '127.0.0.1', userAgent: 'seed' };
const DAY = 86_400_000;

/** A complete 市级高级研修项目 申报书 of wangwu's unit (the demo's, and the browser tests' filings). */
export function seminarData(name: string, from: string, to: string): ApplicationData {
  return {
    basic: {
      projectName: name,
      period: { from, to },
      venue: '重庆市渝中区解放碑培训中心',
      estimatedFen: 12_000_000,
      subsidyFen: 8_000_000,
    },
    purpose: { purpose: '提升全市相关领域高层次专业技术人才的创新能力和实践水平，推动产业升级。' },
    content: {
      content: '前沿技术专题讲座、典型案例剖析、现场教学与分组研讨。',
      method: '专家授课、现场教学、分组研讨',
      schedule: [
        { date: from, time: '上午', topic: '开班仪式与前沿讲座', lecturer: '李明' },
        { date: to, time: '下午', topic: '成果交流与结业', lecturer: '王芳' },
      ],
    },
    experts: {
      experts: [
        { name: '李明', employer: '重庆大学', title: '教授', field: '人工智能', topic: '前沿讲座' },
        { name: '王芳', employer: '中国信息通信研究院', title: '研究员', field: '工业互联网', topic: '案例剖析' },
      ],
    },
    trainees: { audience: '全市相关领域具有中级以上职称的专业技术人员', count: 60, seniorCount: 30 },
    applicant: { contactName: '王五', contactPhone: '13800138001', email: '' },
    host: { hostName: '重庆渝中示例科技有限公司', hostContact: '王五', hostPhone: '13800138001' },
    account: {
      accountName: '重庆渝中示例科技有限公司',
      bankName: '中国工商银行重庆解放碑支行',
      accountNumber: '3100021509024567890',
    },
    attachments: { files: [] },
  };
}

/**
 * The 高研班 demo of 单位中心 for wangwu's unit: one approved 市级高级研修项目 waiting for its 开班方案, and one whose
 * class (an approved 开班方案) has ended, waiting for 结业上报. Filed and approved through the services, so their
 * history reads like any other. Idempotent: a unit that has approved projects already is left alone.
 */
export async function seedDemoSeminars(ctx: AppContext, adminAccountId: string, reviewer: Reviewer): Promise<string[]> {
  const filer = await unitFiler(ctx, adminAccountId);
  const mine = await ctx.applications.list(filer, { type: ADVANCED_SEMINAR.key, page: 1, pageSize: 5 });
  if (mine.total > 0) return [];
  const created: string[] = [];
  const now = ctx.clock.now();
  const today = platformDay(now);
  const year = today.slice(0, 4);

  const approve = async (id: string) => ctx.applications.decide(reviewer, id, 'approve', '', META);
  const file = async (type: string, data: ApplicationData, parentId?: string) => {
    const draft = await ctx.applications.create(filer, type, META, parentId);
    for (const [sid, values] of Object.entries(data))
      await ctx.applications.saveSection(filer, draft.id, sid, { ...(draft.data[sid] ?? {}), ...values });
    await ctx.applications.submit(filer, draft.id, META);
    await approve(draft.id);
    return draft.id;
  };

  // A project later this year (or today when the year is ending): 开班方案上报 is next.
  const later = platformDay(new Date(Math.min(now.getTime() + 30 * DAY, platformDayStart(`${year}-12-27`).getTime())));
  const laterEnd = platformDay(platformDayStart(later, 3));
  await file(ADVANCED_SEMINAR.key, seminarData('数字经济与智能制造高级研修班', later, laterEnd));
  created.push('seminar:awaiting-class-plan');

  // A project whose class ran over the last days and has ended: 结业上报 is next. Needs three days of this year
  // before today (not the case on the first days of January).
  const start = platformDay(new Date(now.getTime() - 9 * DAY));
  const end = platformDay(new Date(now.getTime() - 7 * DAY));
  if (start.slice(0, 4) !== year) return created;
  const projectId = await file(ADVANCED_SEMINAR.key, seminarData('大数据与人工智能应用高级研修班', start, end));
  const sharp = await loadSharp();
  const notice = await sharp({ create: { width: 600, height: 400, channels: 3, background: '#ffffff' } })
    .png()
    .toBuffer();
  const draft = await ctx.applications.create(filer, CLASS_PLAN.key, META, projectId);
  const attachment = await ctx.applications.attach(filer, draft.id, notice, '开班通知.png');
  const middle = platformDay(new Date(now.getTime() - 8 * DAY));
  const lecturer = { lecturer: '李明', lecturerTitle: '教授', lecturerUnit: '重庆大学' };
  const classData: ApplicationData = {
    basic: {
      startDate: start,
      endDate: end,
      venue: '重庆市渝中区解放碑培训中心',
      quota: 60,
      enrolment: '各单位统一报名，报名表加盖公章后报送承办单位',
      contactName: '王五',
      contactPhone: '13800138001',
    },
    schedule: {
      schedule: [
        { date: start, half: '上午', topic: '开班仪式与大数据前沿', ...lecturer },
        { date: start, half: '下午', topic: '数据治理与安全', ...lecturer },
        {
          date: middle,
          half: '上午',
          topic: '人工智能应用案例',
          lecturer: '王芳',
          lecturerTitle: '研究员',
          lecturerUnit: '中国信息通信研究院',
        },
        {
          date: middle,
          half: '下午',
          topic: '现场教学',
          lecturer: '王芳',
          lecturerTitle: '研究员',
          lecturerUnit: '中国信息通信研究院',
        },
        { date: end, half: '上午', topic: '分组研讨与成果交流', ...lecturer },
      ],
    },
    notice: { files: [attachment] },
  };
  for (const [sid, values] of Object.entries(classData))
    await ctx.applications.saveSection(filer, draft.id, sid, { ...(draft.data[sid] ?? {}), ...values });
  await ctx.applications.submit(filer, draft.id, META);
  await approve(draft.id);
  created.push('seminar:awaiting-completion');
  return created;
}
