import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { multipartFile, outbox } from '../factories.js';
import { Client, createTestEnv, type TestEnv } from '../harness.js';
import { learner, signIn, staffWith } from '../purchase-factories.js';
import { PDF, png } from '../units-factories.js';

let env: TestEnv;

beforeAll(async () => {
  env = await createTestEnv();
});

const staff = (roles: Parameters<typeof staffWith>[1]) => staffWith(env, roles);
const put = (c: Client, url: string, body: unknown) => c.request('PUT', url, body);
const audits = async (action: string) =>
  (await env.ctx.audit.latest(env.ctx.db, 200)).filter((a) => a.action === action);

async function uploadShot(c: Client, file?: { data: Buffer; filename: string; type: string }) {
  return c.request(
    'POST',
    '/api/tickets/files',
    undefined,
    multipartFile({}, file ?? { data: await png(300, 200), filename: '报错截图.png', type: 'image/png' }),
  );
}

const ticketBody = (over: Record<string, unknown> = {}) => ({
  topic: 'study',
  subject: '视频播放到一半卡住',
  body: '学习第三章时视频总是停在12分钟处，刷新后也无法继续。',
  ...over,
});

describe('咨询方式 (public)', () => {
  it('without settings shows the seed hotlines and the 在线客服 line, and no FAQ', async () => {
    const res = await new Client(env.publicApp).get('/api/help');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.contact.hotlines).toEqual([
      { topic: '账号注册、登录、证书问题咨询', phone: '400-023-9229', hint: '按1选择登录注册问题', hours: '' },
      { topic: '学习技术咨询热线', phone: '400-618-7500', hint: '按2选择售后服务', hours: '' },
    ]);
    expect(body.contact.onlineService).toBe('在首页侧边栏选择在线客服，可进行技术操作咨询。');
    expect(body.faqGroups).toEqual([]);
  });

  it('hotlines: operators save them (validated, audited) and the portal shows them; learners and reviewers cannot', async () => {
    const op = await staff(['training-operator']);
    const bad = await put(op, '/api/admin/help/hotlines', {
      hotlines: [{ topic: '证书', phone: '400-123', hint: '', hours: '' }],
      onlineService: '',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields['hotlines.0.phone']).toMatch(/电话号码格式不正确/);
    expect(bad.json().fields.onlineService).toBe('请填写在线客服说明');
    const none = await put(op, '/api/admin/help/hotlines', { hotlines: [], onlineService: '在线客服' });
    expect(none.json().fields.hotlines).toBe('至少保留一条咨询热线');

    const value = {
      hotlines: [
        {
          topic: '账号注册、登录、证书问题咨询',
          phone: '400-023-9229',
          hint: '按1选择登录注册问题',
          hours: '工作日 9:00—17:30',
        },
        { topic: '发票问题', phone: '023-63211234', hint: '', hours: '' },
      ],
      onlineService: '在首页侧边栏选择在线客服，可进行技术操作咨询。',
    };
    const ok = await put(op, '/api/admin/help/hotlines', value);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual(value);
    expect((await new Client(env.publicApp).get('/api/help')).json().contact).toEqual(value);
    const [a] = await audits('help.hotlines.update');
    expect(a?.summary).toMatchObject({ after: ['账号注册、登录、证书问题咨询 400-023-9229', '发票问题 023-63211234'] });

    const reviewer = await staff(['reviewer']);
    expect((await put(reviewer, '/api/admin/help/hotlines', value)).statusCode).toBe(403);
    expect((await put(new Client(env.staffApp, 'cpe_staff_csrf'), '/api/admin/help/hotlines', value)).statusCode).toBe(
      401,
    );
    // Staff APIs do not exist on the public listener at all.
    const { c } = await learner(env);
    expect((await put(c, '/api/admin/help/hotlines', value)).statusCode).toBe(404);
  });
});

describe('常见问题', () => {
  let op: Client;
  const ids: string[] = [];

  beforeAll(async () => {
    op = await staff(['training-operator']);
  });

  it('creates, edits, orders, hides and deletes; the portal shows only published ones, grouped by topic', async () => {
    for (const [topic, question] of [
      ['账号注册登录', '忘记密码怎么办？'],
      ['账号注册登录', '手机号已被注册怎么办？'],
      ['在线学习', '学时如何计算？'],
    ]) {
      const res = await op.post('/api/admin/faqs', { topic, question, answer: `关于“${question}”的解答。` });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ topic, question, published: true });
      ids.push(res.json().id);
    }
    const [forgot, taken, hours] = ids as [string, string, string];
    const groups = (await new Client(env.publicApp).get('/api/help')).json().faqGroups;
    // Groups follow the 在线客服 categories' order (账号注册登录 before 在线学习), not the alphabet.
    expect(groups.map((g: { topic: string }) => g.topic)).toEqual(['账号注册登录', '在线学习']);
    expect(groups[0].items.map((f: { id: string }) => f.id)).toEqual([forgot, taken]);

    const moved = await op.post(`/api/admin/faqs/${taken}/move`, { direction: 'up' });
    expect(moved.statusCode, moved.body).toBe(200);
    const inTopic = moved
      .json()
      .items.filter((f: { topic: string }) => f.topic === '账号注册登录')
      .map((f: { id: string }) => f.id);
    expect(inTopic).toEqual([taken, forgot]);
    // Already first: stays first.
    expect((await op.post(`/api/admin/faqs/${taken}/move`, { direction: 'up' })).statusCode).toBe(200);
    expect((await op.post(`/api/admin/faqs/${taken}/move`, { direction: 'sideways' })).statusCode).toBe(400);

    const edited = await put(op, `/api/admin/faqs/${hours}`, {
      topic: '在线学习',
      question: '学时如何计算？',
      answer: '按服务器记录的有效观看时长计算。',
      published: false,
    });
    expect(edited.statusCode, edited.body).toBe(200);
    const pub = (await new Client(env.publicApp).get('/api/help')).json().faqGroups;
    expect(pub.map((g: { topic: string }) => g.topic)).toEqual(['账号注册登录']);
    expect(JSON.stringify(pub)).not.toContain('学时如何计算');
    expect((await op.get('/api/admin/faqs')).json().items).toHaveLength(3);

    expect((await op.post(`/api/admin/faqs/${hours}/publish`, { published: true })).json().published).toBe(true);
    expect((await new Client(env.publicApp).get('/api/help')).json().faqGroups).toHaveLength(2);

    expect((await op.del(`/api/admin/faqs/${forgot}`)).statusCode).toBe(204);
    expect((await op.del(`/api/admin/faqs/${forgot}`)).statusCode).toBe(404);
    expect((await op.get('/api/admin/faqs')).json().items).toHaveLength(2);
    for (const action of ['faq.create', 'faq.update', 'faq.move', 'faq.publish', 'faq.delete'])
      expect((await audits(action)).length, action).toBeGreaterThan(0);
  });

  it('names the field for bad input and refuses other roles', async () => {
    const bad = await op.post('/api/admin/faqs', { topic: '', question: 'x'.repeat(201), answer: 'y'.repeat(5001) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields).toMatchObject({
      topic: '问题分类至少2个字',
      question: '问题最多200个字',
      answer: '解答最多5000个字',
    });
    expect(
      (await put(op, `/api/admin/faqs/${crypto.randomUUID()}`, { topic: '其他', question: '问题问题', answer: '解答' }))
        .statusCode,
    ).toBe(404);
    expect((await op.get('/api/admin/faqs/not-a-uuid')).statusCode).toBe(404);
    const reviewer = await staff(['reviewer']);
    expect((await reviewer.get('/api/admin/faqs')).statusCode).toBe(403);
    expect(
      (await reviewer.post('/api/admin/faqs', { topic: '其他', question: '问题问题', answer: '解答' })).statusCode,
    ).toBe(403);
  });

  it('search is literal: wildcards and SQL in q find nothing unexpected and never fail', async () => {
    await op.post('/api/admin/faqs', { topic: '证书', question: '证书100%能打印吗？', answer: '完成学时后可打印。' });
    const anon = new Client(env.publicApp);
    const hit = (await anon.get(`/api/help?q=${encodeURIComponent('100%')}`)).json().faqGroups;
    expect(hit.flatMap((g: { items: unknown[] }) => g.items)).toHaveLength(1);
    for (const q of ['%', '_', "' or 1=1 --", '\\', '%_%', "'); drop table faqs; --"]) {
      const res = await anon.get(`/api/help?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, q).toBe(200);
      const found = res.json().faqGroups.flatMap((g: { items: Array<{ question: string }> }) => g.items);
      if (q === '%') expect(found.map((f: { question: string }) => f.question)).toEqual(['证书100%能打印吗？']);
      else expect(found, q).toEqual([]);
    }
    expect((await op.get('/api/admin/faqs')).json().items.length).toBeGreaterThan(0);
    const tooLong = await anon.get(`/api/help?q=${'学'.repeat(51)}`);
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().fields.q).toBe('搜索内容最多50个字');
  });
});

describe('在线客服 tickets', () => {
  let a: Awaited<ReturnType<typeof learner>>;
  let op: Client;
  let ticketId: string;
  let ticketNo: string;
  let shotId: string;

  beforeAll(async () => {
    a = await learner(env);
    op = await staff(['training-operator']);
  });

  it('a learner opens a ticket with a screenshot; it gets a KF + yyMMdd + 4-digit number', async () => {
    const up = await uploadShot(a.c);
    expect(up.statusCode, up.body).toBe(200);
    shotId = up.json().id;
    const res = await a.c.post('/api/tickets', ticketBody({ fileIds: [shotId] }));
    expect(res.statusCode, res.body).toBe(200);
    const t = res.json();
    const china = new Date(env.clock.now().getTime() + 8 * 3_600_000).toISOString();
    expect(t.ticketNo).toBe(`KF${china.slice(2, 4)}${china.slice(5, 7)}${china.slice(8, 10)}0001`);
    expect(t).toMatchObject({ status: 'open', topic: 'study', unread: 0 });
    expect(t.messages).toHaveLength(1);
    expect(t.messages[0].files[0]).toMatchObject({ id: shotId, mime: 'image/png', name: '报错截图.png' });
    ticketId = t.id;
    ticketNo = t.ticketNo;
    // The screenshot is attached once: it cannot be reused on another ticket.
    const reuse = await a.c.post('/api/tickets', ticketBody({ fileIds: [shotId] }));
    expect(reuse.statusCode).toBe(400);
    expect(reuse.json().fields['fileIds.0']).toBe('截图无效，请重新上传');
    const second = await a.c.post('/api/tickets', ticketBody({ subject: '发票抬头写错了', topic: 'purchase' }));
    expect(second.json().ticketNo).toBe(`${ticketNo.slice(0, 8)}0002`);
  });

  it('refuses bad input with the field named', async () => {
    const bad = await a.c.post('/api/tickets', {
      topic: 'gossip',
      subject: 'x'.repeat(61),
      body: '太短',
      fileIds: [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields).toMatchObject({
      topic: '请选择咨询类别',
      subject: '标题最多60个字',
      body: '问题描述至少5个字',
      fileIds: '截图最多3张',
    });
    const b = await learner(env);
    const theirs = (await uploadShot(b.c)).json().id;
    const foreign = await a.c.post('/api/tickets', ticketBody({ fileIds: [theirs] }));
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().fields['fileIds.0']).toBeTruthy();
  });

  it('operators see it under 待回复 with counts, reply (audited); the learner sees the reply and an unread mark', async () => {
    const list = await op.get('/api/admin/tickets?status=open');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().counts.open).toBeGreaterThanOrEqual(2);
    const row = list.json().items.find((x: { id: string }) => x.id === ticketId);
    expect(row).toMatchObject({ ticketNo, learnerName: a.p.realName, awaitingStaff: true });
    expect(row.phoneMasked).toMatch(/^\d{3}\*{4}\d{4}$/);
    const byKeyword = await op.get(`/api/admin/tickets?keyword=${encodeURIComponent(ticketNo)}`);
    expect(byKeyword.json().items.map((x: { id: string }) => x.id)).toEqual([ticketId]);
    const byName = await op.get(`/api/admin/tickets?keyword=${encodeURIComponent(a.p.realName)}&topic=study`);
    expect(byName.json().items.map((x: { id: string }) => x.id)).toEqual([ticketId]);
    expect((await op.get('/api/admin/tickets?keyword=%25')).statusCode).toBe(200);
    expect((await op.get('/api/admin/tickets?status=done')).statusCode).toBe(400);

    const detail = await op.get(`/api/admin/tickets/${ticketId}`);
    expect(detail.json().messages[0].body).toContain('12分钟');
    const tooShort = await op.post(`/api/admin/tickets/${ticketId}/replies`, { body: ' ' });
    expect(tooShort.json().fields.body).toBe('回复内容至少2个字');
    env.clock.advance(60_000);
    const reply = await op.post(`/api/admin/tickets/${ticketId}/replies`, {
      body: '您好，请清除浏览器缓存后重新进入学习页面。',
    });
    expect(reply.statusCode, reply.body).toBe(200);
    expect(reply.json()).toMatchObject({ status: 'answered', awaitingStaff: false, assigneeName: '培训中心' });
    expect(reply.json().messages[1]).toMatchObject({ authorType: 'staff', authorName: '培训中心' });
    const [audit] = await audits('ticket.reply');
    expect(audit).toMatchObject({ targetId: ticketId, summary: { ticketNo, from: 'open', to: 'answered' } });

    // The answer is also announced by SMS (template ticket-replied), once, after the reply is committed.
    await env.ctx.jobs.runDue();
    const sms = (await outbox(a.c, `kind=sms&to=${a.p.phone}`)).filter((x) => x.purpose === 'ticket-replied');
    expect(sms).toHaveLength(1);
    expect(sms[0]?.code).toContain(ticketNo);
    expect((await a.c.get('/api/tickets/unread-count')).json()).toEqual({ count: 1 });
    const mine = (await a.c.get('/api/tickets')).json();
    expect(mine.total).toBe(2);
    expect(mine.items[0]).toMatchObject({ id: ticketId, status: 'answered', unread: 1 });
    const seen = (await a.c.get(`/api/tickets/${ticketId}`)).json();
    expect(seen.messages[1]).toMatchObject({ authorType: 'staff', authorName: '在线客服' });
    expect(seen.messages[1].body).toContain('清除浏览器缓存');
    expect((await a.c.get('/api/tickets/unread-count')).json()).toEqual({ count: 0 });
    expect((await a.c.get('/api/tickets')).json().items[0].unread).toBe(0);
  });

  it('a learner reply reopens it (待回复); closing ends the thread for both sides', async () => {
    env.clock.advance(60_000);
    const again = await a.c.post(`/api/tickets/${ticketId}/messages`, { body: '清除缓存后还是不行。' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ status: 'open' });
    expect(again.json().messages).toHaveLength(3);
    expect((await op.get(`/api/admin/tickets/${ticketId}`)).json()).toMatchObject({
      status: 'open',
      awaitingStaff: true,
    });
    const closed = await op.post(`/api/admin/tickets/${ticketId}/close`);
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().status).toBe('closed');
    expect((await audits('ticket.close')).map((x) => x.targetId)).toContain(ticketId);
    const late = await a.c.post(`/api/tickets/${ticketId}/messages`, { body: '还在吗？还在吗？' });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('TICKET_CLOSED');
    expect((await op.post(`/api/admin/tickets/${ticketId}/replies`, { body: '已处理完毕' })).statusCode).toBe(409);
    expect((await op.post(`/api/admin/tickets/${ticketId}/close`)).statusCode).toBe(409);
    // The learner can close their own open ticket too.
    const second = (await a.c.get('/api/tickets')).json().items.find((x: { id: string }) => x.id !== ticketId);
    expect((await a.c.post(`/api/tickets/${second.id}/close`)).json().status).toBe('closed');
    expect((await op.get('/api/admin/tickets?status=closed')).json().counts.closed).toBeGreaterThanOrEqual(2);
  });

  it('keeps tickets and screenshots to their owner and staff; other roles get 401/403', async () => {
    const b = await learner(env);
    expect((await b.c.get(`/api/tickets/${ticketId}`)).statusCode).toBe(404);
    expect((await b.c.post(`/api/tickets/${ticketId}/messages`, { body: '我也有这个问题' })).statusCode).toBe(404);
    expect((await b.c.post(`/api/tickets/${ticketId}/close`)).statusCode).toBe(404);
    expect((await b.c.get(`/api/tickets/${ticketId}/files/${shotId}`)).statusCode).toBe(404);
    expect((await b.c.get('/api/tickets')).json()).toMatchObject({ items: [], total: 0 });

    const own = await a.c.get(`/api/tickets/${ticketId}/files/${shotId}`);
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-type']).toBe('image/png');
    expect(own.headers['cache-control']).toBe('private, no-store');
    const byStaff = await op.get(`/api/admin/tickets/${ticketId}/files/${shotId}`);
    expect(byStaff.statusCode).toBe(200);
    expect(byStaff.rawPayload.equals(own.rawPayload)).toBe(true);
    // A file id that is not on this ticket is not served through it.
    const stray = (await uploadShot(a.c)).json().id;
    expect((await a.c.get(`/api/tickets/${ticketId}/files/${stray}`)).statusCode).toBe(404);
    expect((await op.get(`/api/admin/tickets/${ticketId}/files/${stray}`)).statusCode).toBe(404);

    const anon = new Client(env.publicApp);
    for (const url of ['/api/tickets', '/api/tickets/unread-count', `/api/tickets/${ticketId}`])
      expect((await anon.get(url)).statusCode, url).toBe(401);
    expect((await anon.post('/api/tickets', ticketBody())).statusCode).toBe(401);
    expect((await anon.get(`/api/tickets/${ticketId}/files/${shotId}`)).statusCode).toBe(401);
    expect((await a.c.get('/api/admin/tickets')).statusCode).toBe(404);
    const reviewer = await staff(['reviewer']);
    expect((await reviewer.get('/api/admin/tickets')).statusCode).toBe(403);
    expect((await reviewer.get(`/api/admin/tickets/${ticketId}/files/${shotId}`)).statusCode).toBe(403);
    expect((await reviewer.post(`/api/admin/tickets/${ticketId}/replies`, { body: '您好您好' })).statusCode).toBe(403);
    expect((await new Client(env.staffApp, 'cpe_staff_csrf').get('/api/admin/tickets')).statusCode).toBe(401);
    const admin = await staff(['sysadmin']);
    expect((await admin.get(`/api/admin/tickets/${ticketId}`)).statusCode).toBe(200);
  });

  it('refuses screenshots that are not images by content, or too large', async () => {
    const disguised = await uploadShot(a.c, { data: PDF, filename: '截图.png', type: 'image/png' });
    expect(disguised.statusCode).toBe(400);
    expect(disguised.json()).toMatchObject({
      code: 'UPLOAD_INVALID',
      fields: { file: '截图仅支持JPG、PNG格式（按文件内容识别）' },
    });
    const text = await uploadShot(a.c, {
      data: Buffer.from('<svg onload="alert(1)"/>'),
      filename: 'a.jpg',
      type: 'image/jpeg',
    });
    expect(text.statusCode).toBe(400);
    const big = Buffer.concat([await png(10, 10), crypto.randomBytes(5 * 1024 * 1024)]);
    const oversized = await uploadShot(a.c, { data: big, filename: '大图.png', type: 'image/png' });
    expect(oversized.statusCode).toBe(413);
    expect(oversized.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: '文件大小不能超过5M' });
    const jpeg = await uploadShot(a.c, {
      data: await (await import('sharp'))
        .default(await png(40, 40))
        .jpeg()
        .toBuffer(),
      filename: 'photo.jpg',
      type: 'image/jpeg',
    });
    expect(jpeg.json().mime).toBe('image/jpeg');
    expect(
      (await new Client(env.publicApp).request('POST', '/api/tickets/files', undefined, multipartFile({}))).statusCode,
    ).toBe(401);
  });

  it('limits a person to 5 new tickets an hour (429 with Retry-After), then lets them ask again', async () => {
    const { c, p } = await learner(env);
    for (let i = 0; i < 5; i++)
      expect((await c.post('/api/tickets', ticketBody({ subject: `问题${i + 1}` }))).statusCode).toBe(200);
    const sixth = await c.post('/api/tickets', ticketBody({ subject: '问题6' }));
    expect(sixth.statusCode).toBe(429);
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    expect((await c.get('/api/tickets')).json().total).toBe(5);
    env.clock.advance(3_600_000);
    // An hour later the session has idled out too: signing in again is part of coming back.
    const again = (await signIn(env, p)).c;
    expect((await again.post('/api/tickets', ticketBody({ subject: '问题6' }))).statusCode).toBe(200);
  });
});
