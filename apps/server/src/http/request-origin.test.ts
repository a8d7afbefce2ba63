import { describe, expect, it } from 'vitest';
import { publicOrigin } from './request-origin.js';

const URLS = ['https://peixun.example.gov.cn', 'http://10.2.3.4:8080', 'http://localhost:3000'];
const from = (host: string, protocol: 'http' | 'https' = 'http') => publicOrigin({ host, protocol }, URLS);

describe('publicOrigin: the configured public URL a request came in on', () => {
  it('picks the listed origin whose host the request names, its scheme from the configuration', () => {
    expect(from('10.2.3.4:8080')).toBe('http://10.2.3.4:8080');
    expect(from('localhost:3000')).toBe('http://localhost:3000');
    // Behind a TLS proxy without TRUST_PROXY the request looks like http: the host still decides.
    expect(from('peixun.example.gov.cn')).toBe('https://peixun.example.gov.cn');
    expect(from('PEIXUN.example.gov.cn:443')).toBe('https://peixun.example.gov.cn');
  });

  it('gives the first, canonical origin for any host not listed, never the host itself', () => {
    for (const host of [
      'attacker.example',
      'localhost:3001',
      '10.2.3.4',
      'peixun.example.gov.cn.attacker.example',
      'attacker.example/peixun.example.gov.cn',
      'attacker.example@localhost:3000',
      'localhost:3000\r\nx: y',
      '',
    ])
      expect(from(host), host).toBe('https://peixun.example.gov.cn');
  });

  it('with one host listed under both schemes, the request scheme chooses', () => {
    const both = ['http://intranet.example:8080', 'https://intranet.example:8080'];
    expect(publicOrigin({ host: 'intranet.example:8080', protocol: 'https' }, both)).toBe(
      'https://intranet.example:8080',
    );
    expect(publicOrigin({ host: 'intranet.example:8080', protocol: 'http' }, both)).toBe(
      'http://intranet.example:8080',
    );
  });
});
