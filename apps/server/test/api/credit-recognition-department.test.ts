import { platformDay } from '@cpe/shared/platform-zone';
import { beforeAll, describe, expect, it } from 'vitest';
import { unitAdmin } from '../applications-factories.js';
import { multipartFile } from '../factories.js';
import { createTestEnv, type TestEnv } from '../harness.js';
import { learner } from '../purchase-factories.js';
import { png, staffReviewer } from '../units-factories.js';

/**
 * CREDIT_RECOGNITION_BY=department: a unit registered under a 市级主管部门 has its members' 学时登记 认定d by that
 * department's administrator in 单位中心, not by the 区县人社局; a unit registered directly under its district keeps
 * the district.
 */
let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv({ CREDIT_RECOGNITION_BY: 'department' });
});

async function claimAt(unit: Awaited<ReturnType<typeof unitAdmin>>) {
  const p = await learner(env);
  const found = (await p.c.get(`/api/work-units?keyword=${encodeURIComponent(unit.unitName)}`)).json().items;
  expect((await p.c.post('/api/me/work-unit/requests', { unitId: found[0].id })).statusCode).toBe(200);
  const row = (await unit.c.get('/api/unit-center/members?status=pending')).json().items[0];
  expect((await unit.c.post(`/api/unit-center/members/${row.id}/confirm`, {})).statusCode).toBe(200);
  const file = await p.c.request(
    'POST',
    '/api/my/credits/files',
    undefined,
    multipartFile({}, { data: await png(), filename: '证书.png', type: 'image/png' }),
  );
  const today = platformDay(env.clock.now());
  const standard = (await p.c.get(`/api/my/credits/standards?year=${today.slice(0, 4)}`))
    .json()
    .items.find((s: { form: string }) => s.form === '面授培训');
  const filed = await p.c.post('/api/my/credits/claims', {
    standardId: standard.id,
    title: '行业继续教育专题培训',
    host: '市级行业协会',
    startedOn: today,
    endedOn: today,
    content: '行业新规解读与案例研讨',
    hours: 8,
    evidenceFileIds: [file.json().id],
  });
  expect(filed.statusCode, filed.body).toBe(200);
  expect((await unit.c.post(`/api/unit-center/credit-claims/${filed.json().id}/confirm`, {})).statusCode).toBe(200);
  return filed.json().id as string;
}

describe('学时认定 by a 主管部门', () => {
  it('the department decides its units’ entries; the district neither sees nor decides them', async () => {
    const department = await unitAdmin(env, '500103', { category: 'department' });
    expect(department.nodeId).toBeTruthy();
    const underDepartment = await unitAdmin(env, '500103', { reviewerNodeId: department.nodeId as string });
    const id = await claimAt(underDepartment);

    const yuzhong = await staffReviewer(env, '渝中区人力资源和社会保障局');
    expect((await yuzhong.get('/api/admin/credit-claims')).json().items).toEqual([]);
    expect((await yuzhong.post(`/api/admin/credit-claims/${id}/recognise`, {})).statusCode).toBe(403);
    // A unit that is not a department is refused the department's queue.
    expect((await underDepartment.c.get('/api/unit-center/credit-recognition')).statusCode).toBe(403);

    // 单位中心's menu has 学时认定 for the department only (and only under this configuration: see credit-claims.test).
    const menuOf = async (c: typeof department.c) =>
      ((await c.get('/api/unit-center')).json().menu as Array<{ key: string }>).map((m) => m.key);
    expect(await menuOf(department.c)).toContain('credit-recognition');
    expect(await menuOf(underDepartment.c)).not.toContain('credit-recognition');
    const queue = (await department.c.get('/api/unit-center/credit-recognition')).json();
    expect(queue.items.map((x: { id: string }) => x.id)).toEqual([id]);
    const done = await department.c.post(`/api/unit-center/credit-recognition/${id}/recognise`, {});
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().status).toBe('confirmed');
    expect(done.json().events.at(-1).actorName).toContain(department.unitName);

    // A unit registered directly under the district still goes to the district.
    const direct = await unitAdmin(env, '500103');
    const other = await claimAt(direct);
    expect((await yuzhong.get('/api/admin/credit-claims')).json().items.map((x: { id: string }) => x.id)).toEqual([
      other,
    ]);
    expect((await department.c.get('/api/unit-center/credit-recognition')).json().pending).toBe(0);
  });
});
