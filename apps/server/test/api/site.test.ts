import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createTestEnv } from '../harness.js';

/** 手机学习 (issue 21 §3): the 微信公众号's name and QR code come from configuration through /api/site. */
describe('手机学习: the 微信公众号 in /api/site', async () => {
  const plain = await createTestEnv();
  const qrFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cpe-mp-')), 'mp-qr.png');
  const png = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#000' } })
    .png()
    .toBuffer();
  fs.writeFileSync(qrFile, png);
  const configured = await createTestEnv({ WECHAT_MP_NAME: '某市人才服务中心', WECHAT_MP_QR_FILE: qrFile });

  it('names the seed’s 公众号 by default and has no QR image to show', async () => {
    const site = (await plain.publicApp.inject({ url: '/api/site' })).json();
    expect(site.wechatMp).toEqual({ name: '重庆市人力资源开发服务中心', qrUrl: null });
    const qr = await plain.publicApp.inject({ url: '/api/site/wechat-mp-qr' });
    expect(qr.statusCode).toBe(404);
    expect(qr.json().message).toBe('未配置微信公众号二维码');
  });

  it('serves the configured name and QR image', async () => {
    const site = (await configured.publicApp.inject({ url: '/api/site' })).json();
    expect(site.wechatMp).toEqual({ name: '某市人才服务中心', qrUrl: '/api/site/wechat-mp-qr' });
    const qr = await configured.publicApp.inject({ url: '/api/site/wechat-mp-qr' });
    expect(qr.statusCode).toBe(200);
    expect(qr.headers['content-type']).toBe('image/png');
    expect(qr.rawPayload.equals(png)).toBe(true);
    fs.rmSync(qrFile);
    expect((await configured.publicApp.inject({ url: '/api/site/wechat-mp-qr' })).statusCode).toBe(404);
  });
});
