import path from 'node:path';
import type { TChapterQuestion } from '@cpe/shared';
import type { AppContext } from '../../context.js';
import { demoClip, ffmpegPath } from './ffmpeg.js';

interface DemoCourse {
  title: string;
  teacher: string;
  hours: number;
  description: string;
  chapters: Array<{ title: string; questions?: TChapterQuestion[] }>;
}

const q = (prompt: string, options: string[], answer: number): TChapterQuestion => ({ prompt, options, answer });

/** 公需科目 demo catalogue: 30 学时 in all, the hours this year's plan requires. */
export const DEMO_COURSES: DemoCourse[] = [
  {
    title: '习近平新时代中国特色社会主义思想概论',
    teacher: '刘建华',
    hours: 6,
    description: '系统学习习近平新时代中国特色社会主义思想的核心要义、精神实质和实践要求。',
    chapters: [
      {
        title: '第一讲 思想的形成与发展',
        questions: [
          q('党的二十大报告提出，以什么全面推进中华民族伟大复兴？', ['中国式现代化', '工业化', '城镇化'], 0),
          q('新时代我国社会主要矛盾中，人民日益增长的需要是什么？', ['物质文化需要', '美好生活需要'], 1),
        ],
      },
      { title: '第二讲 核心要义与实践要求' },
      { title: '第三讲 专业技术人员的使命担当' },
    ],
  },
  {
    title: '数字经济与创新驱动发展',
    teacher: '陈志远',
    hours: 6,
    description: '数字经济的内涵与趋势、数据要素市场、产业数字化与数字产业化的路径。',
    chapters: [
      {
        title: '第一讲 数字经济的内涵与特征',
        questions: [
          q('以下哪一项被列为新型生产要素？', ['数据', '土地', '劳动力', '资本'], 0),
          q('“数字产业化”与“产业数字化”中，传统产业利用数字技术改造升级属于？', ['数字产业化', '产业数字化'], 1),
          q('数字经济的关键生产要素是？', ['数字化的知识和信息', '煤炭', '钢铁'], 0),
        ],
      },
      { title: '第二讲 数据要素与创新驱动' },
    ],
  },
  {
    title: '专业技术人员职业道德与诚信建设',
    teacher: '王丽萍',
    hours: 5,
    description: '职业道德规范、学术诚信与科研伦理，典型案例分析。',
    chapters: [
      {
        title: '第一讲 职业道德的基本规范',
        questions: [
          q('专业技术人员职业道德的核心是？', ['爱岗敬业、诚实守信', '追求利益最大化', '只对上级负责'], 0),
          q('发现数据造假，正确的做法是？', ['视而不见', '按规定如实报告', '私下修改'], 1),
        ],
      },
      { title: '第二讲 学术诚信与科研伦理' },
      { title: '第三讲 典型案例警示' },
    ],
  },
  {
    title: '人工智能发展与应用',
    teacher: '赵明轩',
    hours: 5,
    description: '人工智能的发展历程、大模型技术及其在各行业的应用与治理。',
    chapters: [
      { title: '第一讲 人工智能发展历程' },
      {
        title: '第二讲 大模型与行业应用',
        questions: [
          q('生成式人工智能服务提供者应当对生成内容履行什么义务？', ['无需任何义务', '标识与安全管理义务'], 1),
          q('以下哪项属于人工智能的典型应用？', ['智能客服', '手工记账', '纸质归档'], 0),
        ],
      },
    ],
  },
  {
    title: '成渝地区双城经济圈建设专题',
    teacher: '周庆',
    hours: 4,
    description: '成渝地区双城经济圈的战略定位、重点任务与专业技术人才的机遇。',
    chapters: [
      {
        title: '第一讲 战略定位与发展目标',
        questions: [
          q('成渝地区双城经济圈以哪两座城市为中心？', ['重庆、成都', '重庆、西安', '成都、贵阳'], 0),
          q('成渝地区双城经济圈建设的目标之一是打造具有全国影响力的什么中心？', ['科技创新中心', '航运中心'], 0),
        ],
      },
      { title: '第二讲 人才协同与专业技术人员发展' },
    ],
  },
  {
    title: '专业技术人员心理健康与压力管理',
    teacher: '孙晓梅',
    hours: 4,
    description: '职场压力的来源与识别、情绪调节方法与心理健康维护。',
    chapters: [
      { title: '第一讲 认识职场压力' },
      {
        title: '第二讲 情绪调节与心理健康',
        questions: [
          q('以下哪种是积极的压力应对方式？', ['规律运动与倾诉', '长期熬夜', '回避问题'], 0),
          q('出现持续失眠、情绪低落时，建议？', ['独自硬扛', '寻求专业心理帮助'], 1),
        ],
      },
    ],
  },
];

const SEED_META = { ip: '127.0.0.1', userAgent: 'seed' };

/**
 * Creates the demo catalogue once (when no course exists yet) with a real generated video per chapter, and
 * returns the demo courses' ids in catalogue order. Without ffmpeg the chapters are created without videos.
 */
export async function seedDemoCourses(ctx: AppContext, staffId: string): Promise<{ ids: string[]; created: boolean }> {
  const existing = await Promise.all(DEMO_COURSES.map((c) => ctx.courses.byTitle(c.title)));
  if ((await ctx.courses.count()) > 0)
    return { ids: existing.filter((c): c is NonNullable<typeof c> => !!c).map((c) => c.id), created: false };

  const base = ctx.config.courses.demoChapterSeconds;
  // Three lengths, so the catalogue does not look machine-made, and only three clips to render.
  const lengths = [base, base + Math.round(base / 3), Math.max(2, base - Math.round(base / 3))];
  const cacheDir = path.join(ctx.config.dataDir, 'demo-videos');
  const clips = new Map<number, string | null>();
  const hasFfmpeg = ffmpegPath() !== null;
  if (!hasFfmpeg) console.warn('[seed] ffmpeg 不可用：演示课程章节将不带视频（@ffmpeg-installer/ffmpeg 未安装）');
  const clipOf = async (seconds: number) => {
    if (!hasFfmpeg) return null;
    if (!clips.has(seconds)) {
      try {
        clips.set(seconds, await demoClip(cacheDir, seconds, `公需科目示例视频 · ${seconds}秒`));
      } catch (err) {
        console.warn(`[seed] 生成演示视频失败（${seconds}秒），章节将不带视频：`, (err as Error).message);
        clips.set(seconds, null);
      }
    }
    return clips.get(seconds) ?? null;
  };

  const ids: string[] = [];
  let n = 0;
  for (const c of DEMO_COURSES) {
    const course = await ctx.courses.create(
      staffId,
      { title: c.title, teacher: c.teacher, hours: c.hours, coverFileId: null, description: c.description },
      SEED_META,
    );
    for (const ch of c.chapters) {
      const seconds = lengths[n++ % lengths.length] as number;
      const added = await ctx.courses.addChapter(
        staffId,
        course.id,
        { title: ch.title, durationSeconds: seconds, questions: ch.questions ?? [] },
        SEED_META,
      );
      const clip = await clipOf(seconds);
      if (clip)
        await ctx.courses.attachVideo(
          staffId,
          course.id,
          added.id,
          { path: clip, mime: 'video/mp4', originalName: `${ch.title}.mp4` },
          SEED_META,
        );
    }
    ids.push(course.id);
  }
  return { ids, created: true };
}
