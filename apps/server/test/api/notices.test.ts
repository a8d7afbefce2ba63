import crypto from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { certificates } from '../../src/db/schema/index.js';
import { multipartFile, sliderToken } from '../factories.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { learner } from '../purchase-factories.js';
import { approvedUnit, nodeByName, PDF, png } from '../units-factories.js';

let env: TestEnv;
const YUZHONG = '500103';
const JIANGBEI = '500105';
const HOUR = 3_600_000;

beforeAll(async () => {
  env = await createTestEnv();
});

/** A member of staff with these roles, of this bureau (null: no bureau), signed in on the staff listener. */
async function staffAs(roles: string[], nodeName: string | null = null) {
  const username = `nt${crypto.randomBytes(4).toString('hex')}`;
  const orgNodeId = nodeName ? await nodeByName(env, nodeName) : null;
  await env.ctx.staff.ensure({
    username,
    password: 'Notice@2026',
    displayName: '公告员',
    roles: roles as never,
    orgNodeId,
  });
  const s = new Client(env.staffApp, 'cpe_staff_csrf');
  const res = await s.post('/api/sessions', {
    username,
    password: 'Notice@2026',
    sliderToken: await sliderToken(s, new Client(env.publicApp)),
  });
  expect(res.statusCode, res.body).toBe(200);
  return s;
}

const iso = (offsetMs = 0) => new Date(env.clock.now().getTime() + offsetMs).toISOString();
const notice = (over: Record<string, unknown> = {}) => ({
  title: `关于2026年度公需科目学习的通知${crypto.randomBytes(2).toString('hex')}`,
  body: '各位专业技术人员：\n\n2026年度公需科目已上线，请于年底前完成学习。',
  audience: 'all',
  pinned: false,
  publishAt: iso(-60_000),
  ...over,
});

async function createAndPublish(c: Client, over: Record<string, unknown> = {}) {
  const created = await c.post('/api/admin/notices', notice(over));
  expect(created.statusCode, created.body).toBe(200);
  const published = await c.post(`/api/admin/notices/${created.json().id}/publish`);
  expect(published.statusCode, published.body).toBe(200);
  return published.json() as { id: string; title: string; status: string };
}

async function portalIds(c: Client = new Client(env.publicApp)) {
  const res = await c.get('/api/notices?pageSize=50');
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as { id: string }[]).map((n) => n.id);
}

const uploadFile = (c: Client, kind: string, file: { data: Buffer; filename: string; type: string }) =>
  c.request('POST', `/api/admin/notices/files?kind=${kind}`, undefined, multipartFile({}, file));

const auditsOf = async (id: string) =>
  (await env.ctx.audit.latest(env.ctx.db, 500)).filter((a) => a.targetType === 'notice' && a.targetId === id);

describe('通知公告 permissions', () => {
  it('401 signed out, 403 for staff without a notice role, 404 for the staff API on the portal', async () => {
    const anon = new Client(env.staffApp, 'cpe_staff_csrf');
    expect((await anon.get('/api/admin/notices')).statusCode).toBe(401);
    expect((await anon.post('/api/admin/notices', notice())).statusCode).toBe(401);
    const recovery = await staffAs(['recovery-handler']);
    expect((await recovery.get('/api/admin/notices')).statusCode).toBe(403);
    expect((await recovery.post('/api/admin/notices', notice())).statusCode).toBe(403);
    const { c } = await learner(env);
    expect((await c.get('/api/admin/notices')).statusCode).toBe(404);
  });

  it('a 区县人社局 reviewer publishes only to its own district and sees only those; the city and training centre publish to all', async () => {
    const district = await staffAs(['reviewer'], '渝中区人力资源和社会保障局');
    for (const over of [
      { audience: 'all' },
      { audience: 'learners' },
      { audience: 'district', districtCode: JIANGBEI },
    ]) {
      const res = await district.post('/api/admin/notices', notice(over));
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().message).toBe('只能管理本区县的通知公告');
    }
    const own = await createAndPublish(district, { audience: 'district', districtCode: YUZHONG });
    expect(own.status).toBe('published');

    const city = await staffAs(['reviewer'], '重庆市人力资源和社会保障局');
    const cityNotice = await createAndPublish(city, { audience: 'all' });
    const operator = await staffAs(['training-operator']);
    const opNotice = await createAndPublish(operator, { audience: 'learners' });
    const admin = await staffAs(['sysadmin'], '江北区人力资源和社会保障局');
    await createAndPublish(admin, { audience: 'district', districtCode: JIANGBEI });

    // The district reviewer's list holds its own district only and says so.
    const list = (await district.get('/api/admin/notices?pageSize=50')).json();
    expect(list.scope).toEqual({ districtCode: YUZHONG, districtName: '渝中区人力资源和社会保障局' });
    expect(list.items.every((n: { districtCode: string }) => n.districtCode === YUZHONG)).toBe(true);
    expect(list.items.map((n: { id: string }) => n.id)).toContain(own.id);
    // Another notice answers 403 for every action.
    expect((await district.get(`/api/admin/notices/${cityNotice.id}`)).statusCode).toBe(403);
    expect((await district.request('PUT', `/api/admin/notices/${cityNotice.id}`, notice())).statusCode).toBe(403);
    expect((await district.post(`/api/admin/notices/${cityNotice.id}/withdraw`)).statusCode).toBe(403);
    expect((await district.del(`/api/admin/notices/${opNotice.id}`)).statusCode).toBe(403);
    // The training centre sees everything, the district's included.
    const all = (await operator.get('/api/admin/notices?pageSize=50')).json();
    expect(all.scope).toBeNull();
    expect(all.items.map((n: { id: string }) => n.id)).toEqual(expect.arrayContaining([own.id, cityNotice.id]));
  });
});

describe('通知公告 validation', () => {
  it('names the field in Chinese and writes nothing', async () => {
    const op = await staffAs(['training-operator']);
    const before = (await op.get('/api/admin/notices?pageSize=50')).json().total;
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ title: '' }, 'title', /请填写标题/],
      [{ title: '通'.repeat(101) }, 'title', /标题最多100个字/],
      [{ body: '  ' }, 'body', /请填写正文/],
      [{ audience: 'everyone' }, 'audience', /请选择发布范围/],
      [{ audience: 'district' }, 'districtCode', /请选择所属区县/],
      [{ audience: 'district', districtCode: '110101' }, 'districtCode', /请选择所属区县/],
      [{ publishAt: '明天' }, 'publishAt', /发布时间格式不正确/],
      [{ publishAt: iso(HOUR), withdrawAt: iso(HOUR / 2) }, 'withdrawAt', /撤回时间须晚于发布时间/],
      [{ body: `见下图 ![图](image:${crypto.randomUUID()})` }, 'body', /正文中的图片无效/],
      [{ attachmentIds: [crypto.randomUUID()] }, 'attachmentIds.0', /附件无效/],
    ];
    for (const [over, field, message] of cases) {
      const res = await op.post('/api/admin/notices', notice(over));
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
      expect(res.json().fields?.[field], JSON.stringify(res.json())).toMatch(message);
    }
    // An image uploaded as an attachment is not a body image either (purposes are kept apart).
    const pdf = await uploadFile(op, 'attachment', { data: PDF, filename: '通知.pdf', type: 'application/pdf' });
    const wrong = await op.post('/api/admin/notices', notice({ body: `![x](image:${pdf.json().id})` }));
    expect(wrong.json().fields.body).toMatch(/正文中的图片无效/);
    expect((await op.get('/api/admin/notices?pageSize=50')).json().total).toBe(before);
  });

  it('uploads are checked by content: a disguised file is refused, real ones are kept', async () => {
    const op = await staffAs(['training-operator']);
    const fake = await uploadFile(op, 'image', {
      data: Buffer.from('<script>alert(1)</script>'),
      filename: '照片.png',
      type: 'image/png',
    });
    expect(fake.statusCode).toBe(400);
    expect(fake.json().fields.file).toMatch(/图片仅支持JPG、PNG格式/);
    const exe = await uploadFile(op, 'attachment', {
      data: Buffer.concat([Buffer.from('MZ'), crypto.randomBytes(200)]),
      filename: '报名表.pdf',
      type: 'application/pdf',
    });
    expect(exe.statusCode).toBe(400);
    expect(exe.json().fields.file).toMatch(/附件仅支持/);
    const pdfAsImage = await uploadFile(op, 'image', { data: PDF, filename: 'a.png', type: 'image/png' });
    expect(pdfAsImage.statusCode).toBe(400);
    const img = await uploadFile(op, 'image', { data: await png(120, 80), filename: '海报.png', type: 'image/png' });
    expect(img.statusCode, img.body).toBe(200);
    expect(img.json()).toMatchObject({ mime: 'image/png', name: '海报.png' });
    const shown = await op.get(`/api/admin/notices/images/${img.json().id}`);
    expect(shown.statusCode).toBe(200);
    expect(shown.headers['content-type']).toBe('image/png');
  });
});

describe('通知公告 on the portal', () => {
  let op: Client;
  // Fresh each test: a test that moves the clock by hours outlives the staff session.
  beforeEach(async () => {
    op = await staffAs(['training-operator']);
  });

  it('publish times and withdraw times follow the clock; 撤回 takes a notice off at once', async () => {
    const created = await op.post('/api/admin/notices', notice({ publishAt: iso(HOUR), withdrawAt: iso(3 * HOUR) }));
    expect(created.json().status).toBe('draft');
    const id = created.json().id;
    expect(await portalIds()).not.toContain(id);
    expect((await new Client(env.publicApp).get(`/api/notices/${id}`)).statusCode).toBe(404);

    const published = await op.post(`/api/admin/notices/${id}/publish`);
    expect(published.json().status).toBe('scheduled');
    expect((await op.post(`/api/admin/notices/${id}/publish`)).statusCode).toBe(409);
    expect(
      (await op.get('/api/admin/notices?status=scheduled&pageSize=50')).json().items.map((n: { id: string }) => n.id),
    ).toContain(id);
    expect(await portalIds()).not.toContain(id);

    env.clock.advance(HOUR + 1000);
    op = await staffAs(['training-operator']);
    expect(await portalIds()).toContain(id);
    expect((await op.get(`/api/admin/notices/${id}`)).json().status).toBe('published');
    env.clock.advance(2 * HOUR);
    op = await staffAs(['training-operator']);
    expect(await portalIds()).not.toContain(id);
    expect((await op.get(`/api/admin/notices/${id}`)).json().status).toBe('withdrawn');
    // Its 撤回时间 has passed: publishing again asks for a new one.
    const again = await op.post(`/api/admin/notices/${id}/publish`);
    expect(again.statusCode).toBe(409);

    const live = await createAndPublish(op);
    expect(await portalIds()).toContain(live.id);
    expect((await op.del(`/api/admin/notices/${live.id}`)).statusCode).toBe(409);
    const withdrawn = await op.post(`/api/admin/notices/${live.id}/withdraw`);
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json().status).toBe('withdrawn');
    expect(await portalIds()).not.toContain(live.id);
    expect((await new Client(env.publicApp).get(`/api/notices/${live.id}`)).statusCode).toBe(404);
    expect((await op.post(`/api/admin/notices/${live.id}/withdraw`)).statusCode).toBe(409);
    expect(
      (await op.get('/api/admin/notices?status=withdrawn&pageSize=50')).json().items.map((n: { id: string }) => n.id),
    ).toEqual(expect.arrayContaining([id, live.id]));
  });

  it('shows each reader what is addressed to them: signed out, learner, unit administrator, district', async () => {
    const forAll = await createAndPublish(op, { audience: 'all' });
    const forLearners = await createAndPublish(op, { audience: 'learners' });
    const forAdmins = await createAndPublish(op, { audience: 'unit-admins' });
    const yuzhong = await createAndPublish(op, { audience: 'district', districtCode: YUZHONG });
    const jiangbei = await createAndPublish(op, { audience: 'district', districtCode: JIANGBEI });
    const mine = [forAll.id, forLearners.id, forAdmins.id, yuzhong.id, jiangbei.id];
    const seen = async (c?: Client) => (await portalIds(c)).filter((id) => mine.includes(id)).sort();

    expect(await seen()).toEqual([forAll.id]);
    const { c: person } = await learner(env);
    expect(await seen(person)).toEqual([forAll.id, forLearners.id].sort());
    // The unit in 渝中区: its administrator also reads that district's notices, not 江北区's.
    const { a } = await approvedUnit(env);
    expect(await seen(a.c)).toEqual([forAll.id, forAdmins.id, yuzhong.id].sort());

    // A notice the reader may not see is "not found", its files too.
    expect((await new Client(env.publicApp).get(`/api/notices/${forLearners.id}`)).statusCode).toBe(404);
    expect((await person.get(`/api/notices/${forLearners.id}`)).statusCode).toBe(200);
    expect((await person.get(`/api/notices/${yuzhong.id}`)).statusCode).toBe(404);
    expect((await a.c.get(`/api/notices/${yuzhong.id}`)).statusCode).toBe(200);
    expect((await a.c.get(`/api/notices/${jiangbei.id}`)).statusCode).toBe(404);
  });

  it('a learner whose certificate names a 区县 (or a unit there) also reads that district’s notices', async () => {
    const jiangbei = await createAndPublish(op, { audience: 'district', districtCode: JIANGBEI });
    const { c } = await learner(env);
    const me = (await c.get('/api/me')).json();
    expect(await portalIds(c)).not.toContain(jiangbei.id);
    // The 组织机构 chosen when printing a certificate: here the district keeping the learner's file.
    await env.ctx.db.insert(certificates).values({
      certNo: `T${crypto.randomBytes(6).toString('hex')}`,
      enrollmentId: crypto.randomUUID(),
      accountId: me.id,
      planId: crypto.randomUUID(),
      holderName: me.realName,
      idNumberMasked: me.idNumberMasked,
      planName: '公需科目',
      year: 2026,
      hours: 30,
      issuedAt: env.clock.now(),
      orgName: '江北区人力资源和社会保障局',
      orgNodeId: await nodeByName(env, '江北区人力资源和社会保障局'),
    });
    expect(await portalIds(c)).toContain(jiangbei.id);
    expect((await c.get(`/api/notices/${jiangbei.id}`)).statusCode).toBe(200);
  });

  it('pinned first, then newest; paged', async () => {
    const older = await createAndPublish(op, { pinned: true, publishAt: iso(-5 * HOUR) });
    const newer = await createAndPublish(op, { publishAt: iso(-1000) });
    const first = (await new Client(env.publicApp).get('/api/notices?pageSize=50')).json();
    const items = first.items as { id: string; pinned: boolean; publishAt: string }[];
    expect(items.findIndex((n) => n.id === older.id)).toBeLessThan(items.findIndex((n) => n.id === newer.id));
    const key = (n: { pinned: boolean; publishAt: string }) => `${n.pinned ? 1 : 0}${n.publishAt}`;
    expect(items.map(key)).toEqual([...items.map(key)].sort().reverse());

    const p1 = (await new Client(env.publicApp).get('/api/notices?page=1&pageSize=2')).json();
    const p2 = (await new Client(env.publicApp).get('/api/notices?page=2&pageSize=2')).json();
    expect(p1.total).toBe(first.total);
    expect(p1.items.length).toBe(2);
    expect([...p1.items, ...p2.items].map((n: { id: string }) => n.id)).toEqual(items.slice(0, 4).map((n) => n.id));
    const bad = await new Client(env.publicApp).get('/api/notices?pageSize=500');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields.pageSize).toBe('每页最多50条');
  });

  it('the body never carries script, event handlers or javascript: links; images and attachments come from our storage', async () => {
    const img = await uploadFile(op, 'image', { data: await png(200, 100), filename: '海报.png', type: 'image/png' });
    const pdf = await uploadFile(op, 'attachment', {
      data: PDF,
      filename: '2026年度公需科目计划.pdf',
      type: 'application/pdf',
    });
    const body = [
      '## 学习安排',
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '[点我](javascript:alert(1)) 与 [官网](https://rlsbj.cq.gov.cn/)',
      `![海报](image:${img.json().id})`,
      '- **第一条**',
    ].join('\n');
    const n = await createAndPublish(op, { body, attachmentIds: [pdf.json().id] });
    const res = await new Client(env.publicApp).get(`/api/notices/${n.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const { html, attachments } = res.json();
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<[^>]*onerror/i);
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<h3>学习安排</h3>');
    expect(html).toContain(
      '<a href="https://rlsbj.cq.gov.cn/" target="_blank" rel="noopener noreferrer nofollow">官网</a>',
    );
    expect(html).toContain('<strong>第一条</strong>');
    const src = `/api/notices/${n.id}/images/${img.json().id}`;
    expect(html).toContain(`<img src="${src}" alt="海报" loading="lazy">`);
    const picture = await new Client(env.publicApp).get(src);
    expect(picture.statusCode).toBe(200);
    expect(picture.headers['content-type']).toBe('image/png');

    expect(attachments).toEqual([
      { id: pdf.json().id, name: '2026年度公需科目计划.pdf', mime: 'application/pdf', size: PDF.length },
    ]);
    const file = await new Client(env.publicApp).get(`/api/notices/${n.id}/attachments/${pdf.json().id}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toBe(
      `attachment; filename*=UTF-8''${encodeURIComponent('2026年度公需科目计划.pdf')}`,
    );
    expect(file.rawPayload.equals(PDF)).toBe(true);
    // Only the notice's own files are served through it.
    expect((await new Client(env.publicApp).get(`/api/notices/${n.id}/attachments/${img.json().id}`)).statusCode).toBe(
      404,
    );
    await op.post(`/api/admin/notices/${n.id}/withdraw`);
    expect((await new Client(env.publicApp).get(src)).statusCode).toBe(404);
  });
});

describe('通知公告 audit', () => {
  it('records create, update, publish, withdraw and delete with who did it', async () => {
    const op = await staffAs(['training-operator']);
    const created = await op.post('/api/admin/notices', notice({ title: '关于开展2026年度继续教育的通知' }));
    const id = created.json().id;
    const edited = await op.request(
      'PUT',
      `/api/admin/notices/${id}`,
      notice({ title: '关于开展2026年度继续教育的通知（修订）', pinned: true }),
    );
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ pinned: true, createdByName: '公告员', updatedByName: '公告员' });
    await op.post(`/api/admin/notices/${id}/publish`);
    await op.post(`/api/admin/notices/${id}/withdraw`);
    const rows = await auditsOf(id);
    expect(rows.map((r) => r.action).sort()).toEqual(
      ['notice.create', 'notice.publish', 'notice.update', 'notice.withdraw'].sort(),
    );
    expect(rows.every((r) => r.actorType === 'staff' && r.actorId)).toBe(true);
    expect(rows.find((r) => r.action === 'notice.update')?.summary).toMatchObject({
      title: '关于开展2026年度继续教育的通知（修订）',
      changed: ['title', 'pinned'],
    });

    const draft = (await op.post('/api/admin/notices', notice())).json().id;
    expect((await op.del(`/api/admin/notices/${draft}`)).statusCode).toBe(204);
    expect((await op.get(`/api/admin/notices/${draft}`)).statusCode).toBe(404);
    expect((await auditsOf(draft)).map((r) => r.action).sort()).toEqual(['notice.create', 'notice.delete']);
  });
});
