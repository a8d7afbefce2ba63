import { describe, expect, it } from 'vitest';
import { describeUserAgent, placeOfIp } from './user-agent.js';

describe('describeUserAgent / placeOfIp (扫码登录 确认登录)', () => {
  it.each([
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
      'Edge 131（Windows）',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
      'Safari 17（macOS）',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003137) NetType/WIFI Language/zh_CN',
      '微信 8（iOS）',
    ],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox 128（Linux）'],
    ['curl/8.5.0', '未知浏览器'],
  ])('%s → %s', (ua, expected) => {
    expect(describeUserAgent(ua)).toBe(expected);
  });
  it('names loopback and private addresses, leaves public ones as 互联网', () => {
    expect(placeOfIp('127.0.0.1')).toBe('本机');
    expect(placeOfIp('::ffff:192.168.1.20')).toBe('内网');
    expect(placeOfIp('172.20.0.5')).toBe('内网');
    expect(placeOfIp('172.40.0.5')).toBe('互联网');
    expect(placeOfIp('223.5.5.5')).toBe('互联网');
  });
});
