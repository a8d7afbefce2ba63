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

  it('a real provider needs its credentials', () => {
    expect(() => loadConfig({ SMS_PROVIDER: 'aliyun' })).toThrow(/ALIYUN_SMS_ACCESS_KEY_ID/);
  });
});
