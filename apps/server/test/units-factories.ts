import crypto from 'node:crypto';
import { usccCheckChar } from '@cpe/shared';
import sharp from 'sharp';
import { expect } from 'vitest';
import { login, multipartFile, register, sliderToken } from './factories.js';
import type { TestEnv } from './harness.js';
import { Client } from './harness.js';

export function randomUscc(): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let body = '9150';
  for (let i = 0; i < 13; i++) body += chars[crypto.randomInt(0, chars.length)];
  return body + usccCheckChar(body);
}

export async function png(width = 80, height = 60): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#cc3333' } })
    .png()
    .toBuffer();
}

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

export async function upload(
  c: Client,
  purpose: 'licence' | 'authorization',
  data: Buffer,
  filename: string,
  type: string,
) {
  return c.request('POST', '/api/files', undefined, multipartFile({ purpose }, { data, filename, type }));
}

/** A signed-in person (registered through the API) with both documents uploaded. */
export async function applicant(env: TestEnv) {
  const c = new Client(env.publicApp);
  const p = await register(c);
  expect((await login(c, p.username, p.password)).statusCode).toBe(200);
  const licence = await upload(c, 'licence', PDF, '营业执照.pdf', 'application/pdf');
  expect(licence.statusCode, licence.body).toBe(200);
  const auth = await upload(c, 'authorization', await png(), '授权书.png', 'image/png');
  expect(auth.statusCode, auth.body).toBe(200);
  return { c, p, licenceFileId: licence.json().id as string, authorizationFileId: auth.json().id as string };
}

export async function nodeByName(env: TestEnv, name: string): Promise<string> {
  const node = (await env.ctx.org.all()).find((n) => n.name === name);
  if (!node) throw new Error(`no org node ${name}`);
  return node.id;
}

export function unitData(
  over: Record<string, unknown> & { licenceFileId: string; authorizationFileId: string; reviewerNodeId: string },
) {
  return {
    category: 'unit',
    unitName: `重庆测试科技有限公司${crypto.randomBytes(3).toString('hex')}`,
    uscc: randomUscc(),
    usccManualCheck: false,
    regArea: '500103',
    insuredArea: '500103',
    locatedArea: '500103',
    address: '解放碑民族路188号',
    unitType: '企业',
    isGrassroots: false,
    ...over,
  };
}

/** A staff reviewer of one bureau, signed in on the staff listener. */
export async function staffReviewer(
  env: TestEnv,
  nodeName: string | null,
  roles: Array<'reviewer' | 'sysadmin'> = ['reviewer'],
) {
  const username = `rv${crypto.randomBytes(4).toString('hex')}`;
  const orgNodeId = nodeName ? await nodeByName(env, nodeName) : null;
  await env.ctx.staff.ensure({ username, password: 'Review@2026', displayName: '审核员', roles, orgNodeId });
  const s = new Client(env.staffApp, 'cpe_staff_csrf');
  const res = await s.post('/api/sessions', {
    username,
    password: 'Review@2026',
    sliderToken: await sliderToken(s, new Client(env.publicApp)),
  });
  expect(res.statusCode, res.body).toBe(200);
  return s;
}

/** A unit registered in 渝中区 and approved there: its administrator (`a`) and the data it was filed with. */
export async function approvedUnit(env: TestEnv) {
  const a = await applicant(env);
  const data = unitData({
    licenceFileId: a.licenceFileId,
    authorizationFileId: a.authorizationFileId,
    reviewerNodeId: await nodeByName(env, '渝中区人力资源和社会保障局'),
  });
  const filed = await a.c.post('/api/unit-registration', data);
  expect(filed.statusCode, filed.body).toBe(200);
  const reviewer = await staffReviewer(env, '渝中区人力资源和社会保障局');
  expect(
    (await reviewer.post(`/api/unit-reviews/${filed.json().id}/decision`, { decision: 'approve' })).statusCode,
  ).toBe(200);
  return { a, data };
}
