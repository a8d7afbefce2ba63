import crypto from 'node:crypto';
import fs from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { accounts, auditLogs, enrollments } from '../../src/db/schema/index.js';
import { createCourse, planWithCourses, testClip } from '../courses-factories.js';
import { multipartFile } from '../factories.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { LATER, learner, payAndDeliver, staffWith, startPayment } from '../purchase-factories.js';
import { png } from '../units-factories.js';

let env: TestEnv;
let clip: Buffer;
beforeAll(async () => {
  env = await createTestEnv();
  clip = fs.readFileSync(await testClip(3));
});

const course = (over: Record<string, unknown> = {}) => ({
  title: `数字经济与创新驱动${crypto.randomBytes(2).toString('hex')}`,
  teacher: '陈志远',
  hours: 6,
  coverFileId: null,
  description: '数字经济的内涵与趋势',
  ...over,
});
const chapter = (over: Record<string, unknown> = {}) => ({ title: '第一讲', durationSeconds: 600, ...over });
const question = { prompt: '以下哪一项被列为新型生产要素？', options: ['数据', '土地'], answer: 0 };

function uploadVideo(op: Client, courseId: string, chapterId: string, data: Buffer, filename = 'v.mp4') {
  return op.request(
    'POST',
    `/api/admin/courses/${courseId}/chapters/${chapterId}/video`,
    undefined,
    multipartFile({}, { data, filename, type: 'video/mp4' }),
  );
}

const accountIdOf = async (username: string) =>
  ((await env.ctx.db.select().from(accounts).where(eq(accounts.username, username)))[0] as { id: string }).id;

describe('课程管理 (staff)', () => {
  it('an operator creates, lists, searches, sorts and edits courses; chapters are added, reordered and removed', async () => {
    const op = await staffWith(env, ['training-operator']);
    const cover = await op.request(
      'POST',
      '/api/admin/courses/covers',
      undefined,
      multipartFile({}, { data: await png(640, 360), filename: 'cover.png', type: 'image/png' }),
    );
    expect(cover.statusCode, cover.body).toBe(200);
    const tag = crypto.randomBytes(3).toString('hex');
    const created = await op.post(
      '/api/admin/courses',
      course({ title: `人工智能${tag}`, coverFileId: cover.json().id, hours: 5 }),
    );
    expect(created.statusCode, created.body).toBe(200);
    const c = created.json();
    expect(c).toMatchObject({ hours: 5, chapterCount: 0, planCount: 0, chapters: [] });
    expect((await op.get(`/api/admin/courses/covers/${c.coverFileId}`)).headers['content-type']).toBe('image/png');
    await op.post('/api/admin/courses', course({ title: `职业道德${tag}`, teacher: `王丽萍${tag}`, hours: 2 }));

    const byTitle = (await op.get(`/api/admin/courses?q=${encodeURIComponent(`人工智能${tag}`)}`)).json();
    expect(byTitle.total).toBe(1);
    const byTeacher = (await op.get(`/api/admin/courses?q=${encodeURIComponent(`王丽萍${tag}`)}`)).json();
    expect(byTeacher.items.map((x: { title: string }) => x.title)).toEqual([`职业道德${tag}`]);
    const sorted = (await op.get(`/api/admin/courses?q=${tag}&sort=hours&order=asc`)).json();
    expect(sorted.items.map((x: { hours: number }) => x.hours)).toEqual([2, 5]);
    const paged = (await op.get(`/api/admin/courses?q=${tag}&sort=hours&order=asc&pageSize=1&page=2`)).json();
    expect(paged).toMatchObject({ total: 2, items: [{ hours: 5 }] });
    // A search for the LIKE wildcard itself matches nothing rather than everything.
    expect((await op.get('/api/admin/courses?q=%25')).json().total).toBe(0);

    const updated = await op.request('PUT', `/api/admin/courses/${c.id}`, course({ title: `人工智能应用${tag}` }));
    expect(updated.json()).toMatchObject({ title: `人工智能应用${tag}`, hours: 6, coverFileId: null });

    const ids: string[] = [];
    for (const t of ['第一讲', '第二讲', '第三讲']) {
      const r = await op.post(`/api/admin/courses/${c.id}/chapters`, chapter({ title: t, questions: [question] }));
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().questions[0].id).toMatch(/^q/);
      ids.push(r.json().id);
    }
    const [first, second, third] = ids as [string, string, string];
    const reordered = await op.request('PUT', `/api/admin/courses/${c.id}/chapter-order`, {
      chapterIds: [second, first, third],
    });
    expect(reordered.statusCode, reordered.body).toBe(200);
    expect(reordered.json().chapters.map((x: { title: string; position: number }) => [x.title, x.position])).toEqual([
      ['第二讲', 1],
      ['第一讲', 2],
      ['第三讲', 3],
    ]);
    const partial = await op.request('PUT', `/api/admin/courses/${c.id}/chapter-order`, { chapterIds: [first] });
    expect(partial.statusCode).toBe(400);
    expect(partial.json().fields.chapterIds).toContain('章节顺序');

    // Editing keeps the question ids the study module records answers against.
    const qid = reordered.json().chapters[0].questions[0].id;
    const edited = await op.request('PUT', `/api/admin/courses/${c.id}/chapters/${second}`, {
      title: '第二讲（修订）',
      durationSeconds: 900,
      questions: [
        { ...question, id: qid },
        { ...question, prompt: '第二题', answer: 1 },
      ],
    });
    expect(edited.json()).toMatchObject({ title: '第二讲（修订）', durationSeconds: 900 });
    expect(edited.json().questions.map((q: { id: string }) => q.id)[0]).toBe(qid);

    expect((await op.del(`/api/admin/courses/${c.id}/chapters/${second}`)).statusCode).toBe(200);
    const after = (await op.get(`/api/admin/courses/${c.id}`)).json();
    expect(after.chapters.map((x: { title: string; position: number }) => [x.title, x.position])).toEqual([
      ['第一讲', 1],
      ['第三讲', 2],
    ]);
    expect(after).toMatchObject({ chapterCount: 2, totalSeconds: 1200 });
    // A chapter of another course is not reachable through this one.
    const other = await createCourse(env);
    const foreign = await op.del(`/api/admin/courses/${c.id}/chapters/${other.chapters[0]?.id}`);
    expect(foreign.statusCode).toBe(404);

    const audit = await env.ctx.db.select().from(auditLogs).where(eq(auditLogs.targetId, c.id));
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['course.create', 'course.update', 'course.chapter.reorder', 'course.chapter.delete']),
    );
  });

  it('refuses bad input with the field named in Chinese', async () => {
    const op = await staffWith(env, ['sysadmin']);
    const bad = await op.post('/api/admin/courses', course({ title: ' ', hours: 0, teacher: 'x'.repeat(51) }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields).toMatchObject({
      title: '请输入课程名称',
      hours: '学时至少为1',
      teacher: '主讲教师不能超过50个字',
    });
    const long = await op.post('/api/admin/courses', course({ title: '课'.repeat(101), hours: 2.5 }));
    expect(long.json().fields).toMatchObject({ title: '课程名称不能超过100个字', hours: '学时应为整数' });
    const bogusCover = await op.post('/api/admin/courses', course({ coverFileId: crypto.randomUUID() }));
    expect(bogusCover.json().fields.coverFileId).toBe('封面图片无效，请重新上传');

    const c = await createCourse(env, { chapters: [] });
    const badChapter = await op.post(
      `/api/admin/courses/${c.id}/chapters`,
      chapter({
        durationSeconds: 0,
        questions: [
          { prompt: '只有一个选项', options: ['A'], answer: 0 },
          { prompt: '答案越界', options: ['A', 'B'], answer: 2 },
          { prompt: '太多选项', options: ['1', '2', '3', '4', '5', '6', '7'], answer: 0 },
        ],
      }),
    );
    expect(badChapter.statusCode).toBe(400);
    expect(badChapter.json().fields).toMatchObject({
      durationSeconds: '时长至少为1秒',
      'questions.0.options': '每题至少2个选项',
      'questions.1.answer': '正确答案须是其中一个选项',
      'questions.2.options': '每题最多6个选项',
    });
    expect((await op.get(`/api/admin/courses/${crypto.randomUUID()}`)).statusCode).toBe(404);
    expect((await op.get('/api/admin/courses/not-a-uuid')).json().fields.id).toBe('编号无效');
    expect((await op.get('/api/admin/courses?sort=password')).json().fields.sort).toBe('排序字段无效');
  });

  it('is for the training centre only', async () => {
    const c = await createCourse(env);
    const reviewer = await staffWith(env, ['reviewer']);
    expect((await reviewer.get('/api/admin/courses')).statusCode).toBe(403);
    expect((await reviewer.post('/api/admin/courses', course())).statusCode).toBe(403);
    expect((await reviewer.del(`/api/admin/courses/${c.id}`)).statusCode).toBe(403);
    expect((await reviewer.get(`/api/admin/chapters/${c.chapters[0]?.id}/video`)).statusCode).toBe(403);
    const anonymous = new Client(env.staffApp, 'cpe_staff_csrf');
    expect((await anonymous.get('/api/admin/courses')).statusCode).toBe(401);
    expect((await anonymous.post('/api/admin/courses', course())).statusCode).toBe(401);
    // A learner's portal session does not reach staff routes: they do not exist on the public listener.
    const { c: portal } = await learner(env);
    expect((await portal.get('/api/admin/courses')).statusCode).toBe(404);
    expect((await portal.post('/api/admin/courses', course())).statusCode).toBe(404);
  });

  it('deleting a course a plan uses is refused; an unused one is deleted with its chapters', async () => {
    const op = await staffWith(env, ['training-operator']);
    const { courses } = await planWithCourses(env, { courses: [{ hours: 30 }] });
    const used = await op.del(`/api/admin/courses/${courses[0]?.id}`);
    expect(used.statusCode).toBe(409);
    expect(used.json()).toMatchObject({ code: 'COURSE_IN_USE' });
    expect(used.json().message).toContain('学习计划');
    const free = await createCourse(env, { chapters: [{ durationSeconds: 30 }] });
    expect((await op.del(`/api/admin/courses/${free.id}`)).statusCode).toBe(200);
    expect((await op.get(`/api/admin/courses/${free.id}`)).statusCode).toBe(404);
  });
});

describe('上传视频', () => {
  it('stores an MP4, sets the chapter duration from the video, and lets operators preview it by ranges', async () => {
    const op = await staffWith(env, ['training-operator']);
    const c = await createCourse(env, { chapters: [{ durationSeconds: 600 }] });
    const chapterId = c.chapters[0]?.id as string;
    const res = await uploadVideo(op, c.id, chapterId, clip);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().probedSeconds).toBe(3);
    expect(res.json().chapter).toMatchObject({ durationSeconds: 3, videoMime: 'video/mp4', videoSize: clip.length });

    const whole = await op.get(`/api/admin/chapters/${chapterId}/video`);
    expect(whole.statusCode).toBe(200);
    expect(whole.rawPayload.equals(clip)).toBe(true);
    const part = await op.request('GET', `/api/admin/chapters/${chapterId}/video`, undefined, {
      headers: { range: 'bytes=100-199' },
    });
    expect(part.statusCode).toBe(206);
    expect(part.rawPayload.equals(clip.subarray(100, 200))).toBe(true);
  });

  it('refuses a file that is not a video whatever its name, and one over VIDEO_MAX_MB', async () => {
    const op = await staffWith(env, ['training-operator']);
    const c = await createCourse(env);
    const chapterId = c.chapters[0]?.id as string;
    const disguised = await uploadVideo(op, c.id, chapterId, await png(800, 600), 'lesson.mp4');
    expect(disguised.statusCode).toBe(400);
    expect(disguised.json()).toMatchObject({ code: 'VIDEO_INVALID' });
    expect(disguised.json().fields.file).toContain('MP4、WebM');
    const text = await uploadVideo(op, c.id, chapterId, Buffer.from('not a video at all'), 'tiny.webm');
    expect(text.json().code).toBe('VIDEO_INVALID');
    expect((await env.ctx.courses.detail(c.id)).chapters[0]?.videoFileId).toBeNull();

    const small = await createTestEnv({ VIDEO_MAX_MB: '1' });
    const op2 = await staffWith(small, ['training-operator']);
    const c2 = await createCourse(small);
    const big = Buffer.concat([clip, Buffer.alloc(1024 * 1024)]);
    const tooBig = await uploadVideo(op2, c2.id, c2.chapters[0]?.id as string, big);
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().fields.file).toBe('视频大小不能超过1M');
    expect(fs.readdirSync(`${small.dataDir}/tmp/uploads`)).toEqual([]);
  });
});

describe('视频签名链接 /media/videos/:token', () => {
  let url: string;
  let size: number;
  let fileId: string;
  let enrollmentId: string;
  let accountId: string;
  let buyer: Client;

  beforeAll(async () => {
    const { plan, courses } = await planWithCourses(env, {
      courses: [{ hours: 30, chapters: [{ durationSeconds: 3, video: true }] }],
    });
    fileId = courses[0]?.chapters[0]?.videoFileId as string;
    size = courses[0]?.chapters[0]?.videoSize as number;
    const l = await learner(env);
    buyer = l.c;
    const order = (await buyer.post('/api/orders', { planId: plan.id, invoice: LATER })).json();
    await payAndDeliver(env, (await startPayment(buyer, order.id)).tradeId);
    accountId = await accountIdOf(l.p.username);
    const [e] = await env.ctx.db
      .select()
      .from(enrollments)
      .where(and(eq(enrollments.accountId, accountId), eq(enrollments.planId, plan.id)));
    enrollmentId = (e as { id: string }).id;
    url = env.ctx.videoTokens.sign({ fileId, accountId, enrollmentId }).url;
  });

  it('serves the enrolled learner the whole file and exact byte ranges', async () => {
    const whole = await buyer.get(url);
    expect(whole.statusCode).toBe(200);
    expect(whole.headers).toMatchObject({
      'accept-ranges': 'bytes',
      'content-type': 'video/mp4',
      'content-length': String(size),
    });
    expect(whole.headers['cache-control']).toContain('private');
    expect(whole.rawPayload.equals(clip)).toBe(true);

    const ranged = await buyer.request('GET', url, undefined, { headers: { range: 'bytes=10-1033' } });
    expect(ranged.statusCode).toBe(206);
    expect(ranged.headers['content-range']).toBe(`bytes 10-1033/${size}`);
    expect(ranged.headers['content-length']).toBe('1024');
    expect(ranged.rawPayload.equals(clip.subarray(10, 1034))).toBe(true);

    const open = await buyer.request('GET', url, undefined, { headers: { range: `bytes=${size - 5}-` } });
    expect(open.statusCode).toBe(206);
    expect(open.rawPayload.equals(clip.subarray(size - 5))).toBe(true);
    const suffix = await buyer.request('GET', url, undefined, { headers: { range: 'bytes=-7' } });
    expect(suffix.rawPayload.equals(clip.subarray(size - 7))).toBe(true);

    const beyond = await buyer.request('GET', url, undefined, { headers: { range: `bytes=${size}-${size + 10}` } });
    expect(beyond.statusCode).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${size}`);
    expect(beyond.json().code).toBe('RANGE_NOT_SATISFIABLE');
  });

  it('is 403 without a token, with a forged or expired one, for anyone else, and without the enrolment', async () => {
    const forbidden = async (res: { statusCode: number; json: () => { code: string; message: string } }) => {
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('VIDEO_FORBIDDEN');
      expect(res.json().message).toContain('视频链接无效');
    };
    await forbidden(await buyer.get('/media/videos/'));
    await forbidden(await buyer.get('/media/videos/garbage'));
    const [body, sig] = (url.split('/').pop() as string).split('.') as [string, string];
    const claim = JSON.parse(Buffer.from(body, 'base64url').toString());
    const widened = Buffer.from(JSON.stringify({ ...claim, exp: claim.exp + 86_400_000 })).toString('base64url');
    await forbidden(await buyer.get(`/media/videos/${widened}.${sig}`));
    // Signed-out: the URL alone is not enough.
    await forbidden(await new Client(env.publicApp).get(url));
    const { c: stranger } = await learner(env);
    await forbidden(await stranger.get(url));
    // Signed for an enrolment that is not the learner's (or no longer exists).
    await forbidden(
      await buyer.get(env.ctx.videoTokens.sign({ fileId, accountId, enrollmentId: crypto.randomUUID() }).url),
    );

    const shortLived = env.ctx.videoTokens.sign({ fileId, accountId, enrollmentId }).url;
    expect((await buyer.get(shortLived)).statusCode).toBe(200);
    env.clock.advance(env.ctx.videoTokens.ttlMs + 1000);
    await forbidden(await buyer.get(shortLived));
  });
});

describe('学习计划由课程组成', () => {
  it('publishing needs the courses to add up to 要求学时; the plan API lists the courses for the portal', async () => {
    const op = await staffWith(env, ['training-operator']);
    const a = await createCourse(env, { hours: 20, chapters: [{ durationSeconds: 60 }, { durationSeconds: 60 }] });
    const b = await createCourse(env, { hours: 10 });
    const body = (over: Record<string, unknown>) => ({
      name: `重庆市公需科目培训${crypto.randomBytes(2).toString('hex')}`,
      year: env.clock.now().getUTCFullYear(),
      priceFen: 12_000,
      requiredHours: 30,
      saleFrom: new Date(env.clock.now().getTime() - 86_400_000).toISOString(),
      saleTo: new Date(env.clock.now().getTime() + 86_400_000).toISOString(),
      description: '',
      coverFileId: null,
      published: true,
      ...over,
    });
    const short = await op.post('/api/training-plans', body({ courseIds: [a.id] }));
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({ code: 'PLAN_HOURS_SHORT' });
    expect(short.json().fields.courseIds).toBe('所选课程合计20学时，未达到要求学时30学时，不能发布');
    // A draft may be saved short of the hours.
    const draft = await op.post('/api/training-plans', body({ courseIds: [a.id], published: false }));
    expect(draft.statusCode, draft.body).toBe(200);
    expect(draft.json()).toMatchObject({ totalHours: 20, published: false });
    const unknown = await op.post('/api/training-plans', body({ courseIds: [a.id, crypto.randomUUID()] }));
    expect(unknown.json().fields.courseIds).toContain('不存在');
    const twice = await op.post('/api/training-plans', body({ courseIds: [a.id, a.id] }));
    expect(twice.json().fields.courseIds).toBe('同一课程不能重复添加');

    const published = await op.request(
      'PUT',
      `/api/training-plans/${draft.json().id}`,
      body({ name: draft.json().name, courseIds: [b.id, a.id] }),
    );
    expect(published.statusCode, published.body).toBe(200);
    const portal = (await new Client(env.publicApp).get(`/api/plans/${draft.json().id}`)).json();
    expect(portal.courses).toEqual([
      { id: b.id, title: b.title, teacher: '王老师', hours: 10, chapterCount: 1 },
      { id: a.id, title: a.title, teacher: '王老师', hours: 20, chapterCount: 2 },
    ]);
    expect(portal.totalHours).toBe(30);
  });
});
