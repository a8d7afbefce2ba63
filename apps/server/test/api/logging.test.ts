import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { basicBody, buildPerson, lastSmsCode, login, register, sendSms } from '../factories.js';
import { Client, createTestEnv } from '../harness.js';

const stream = new PassThrough();
let logs = '';
stream.on('data', (d) => {
  logs += d;
});
const env = await createTestEnv({}, undefined, { level: 'trace', stream });

describe('logs', () => {
  it('carry request ids but never passwords, codes, ID numbers, phones or session tokens', async () => {
    const c = new Client(env.publicApp);
    const p = await register(c, buildPerson());
    await login(c, p.username, p.password);
    await login(new Client(env.publicApp), p.phone, 'Wrong-Passw0rd');
    env.clock.advance(61_000);
    await sendSms(c, p.phone);
    const code = await lastSmsCode(c, p.phone);
    await c.post('/api/registrations', basicBody({ ...p, username: 'another1' }, code));
    await c.get(`/api/me?phone=${p.phone}`);
    const sid = c.cookies.get('cpe_sid') as string;

    expect(logs).toMatch(/"reqId":"[0-9a-f-]{36}"/);
    expect(logs).toContain('/api/registrations');
    for (const secret of [p.password, p.idNumber, p.phone, code, sid]) expect(logs).not.toContain(secret);
  });
});
