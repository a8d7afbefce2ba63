import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const strong = {
  SESSION_SECRET: 'x'.repeat(40),
  DATA_ENCRYPTION_KEY: 'y'.repeat(40),
  DEMO_MODE: 'false',
  ALLOW_LOCAL_ADAPTERS: 'sms,email,realname,storage,payment,einvoice,certificates',
};

describe('config', () => {
  it('defaults to demo mode with both ports outside production', () => {
    const c = loadConfig({});
    expect(c.demoMode).toBe(true);
    expect(c.port).toBe(3000);
    expect(c.staffPort).toBe(3001);
  });

  it('production refuses the default session secret and names the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', ...strong, SESSION_SECRET: undefined })).toThrow(
      /SESSION_SECRET/,
    );
  });

  it('production refuses demo mode', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', ...strong, DEMO_MODE: 'true' })).toThrow(/DEMO_MODE=false/);
  });

  it('production refuses a local adapter unless explicitly allowed', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        ...strong,
        ALLOW_LOCAL_ADAPTERS: 'email,realname,storage,payment,einvoice,certificates',
      }),
    ).toThrow(/SMS_PROVIDER/);
    expect(loadConfig({ NODE_ENV: 'production', ...strong }).demoMode).toBe(false);
  });

  it('rejects malformed values with the variable named', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
  });

  it('PUBLIC_URL unset: both loopback names of PORT, localhost first (what npm start prints)', () => {
    for (const c of [loadConfig({ PORT: '4123' }), loadConfig({ PORT: '4123', PUBLIC_URL: ' ' })]) {
      expect(c.publicUrls).toEqual(['http://localhost:4123', 'http://127.0.0.1:4123']);
      expect(c.publicUrl).toBe('http://localhost:4123');
    }
  });

  it('PUBLIC_URL lists several origins; the first is the canonical publicUrl', () => {
    const c = loadConfig({
      PUBLIC_URL: 'https://Peixun.Example.gov.cn/ , http://10.2.3.4:8080,https://peixun.example.gov.cn:443',
    });
    expect(c.publicUrl).toBe('https://peixun.example.gov.cn');
    // Trailing '/' and default ports dropped, host lower-cased, the duplicate kept once.
    expect(c.publicUrls).toEqual(['https://peixun.example.gov.cn', 'http://10.2.3.4:8080']);
    expect(loadConfig({ PUBLIC_URL: 'http://127.0.0.1:3000' }).publicUrls).toEqual(['http://127.0.0.1:3000']);
  });

  it('refuses a PUBLIC_URL entry that is not a bare http(s) origin, naming the variable and the entry', () => {
    for (const bad of [
      'peixun.example.gov.cn',
      '/portal',
      'ftp://example.com',
      'https://example.com/portal',
      'https://example.com/?a=1',
      'https://example.com?',
      'https://example.com/#top',
      'https://user:pw@example.com',
      'javascript:alert(1)',
    ]) {
      const load = () => loadConfig({ PUBLIC_URL: `https://ok.example.com,${bad}` });
      expect(load, bad).toThrow(ConfigError);
      expect(load, bad).toThrow(/PUBLIC_URL: PUBLIC_URL 的每一项应为 http:\/\/ 或 https:\/\/ 开头的完整地址/);
      expect(load, bad).toThrow(bad);
    }
  });

  it('IMPORT_ERROR_FILE_DAYS: 30 days by default; a whole number of days, at least 1', () => {
    expect(loadConfig({}).imports.errorFileDays).toBe(30);
    expect(loadConfig({ IMPORT_ERROR_FILE_DAYS: '7' }).imports.errorFileDays).toBe(7);
    for (const bad of ['0', '-3', '1.5', 'abc'])
      expect(() => loadConfig({ IMPORT_ERROR_FILE_DAYS: bad }), bad).toThrow(/IMPORT_ERROR_FILE_DAYS/);
  });

  it('a real provider needs its credentials', () => {
    expect(() => loadConfig({ SMS_PROVIDER: 'aliyun' })).toThrow(/ALIYUN_SMS_ACCESS_KEY_ID/);
  });
});
