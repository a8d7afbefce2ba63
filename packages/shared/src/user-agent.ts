/**
 * What a person is shown about another browser (扫码登录's 确认登录, session lists): browser and system read from
 * the user agent, and a coarse place for an address. Order matters: Edge and 微信 also say Chrome / Safari.
 */
const BROWSERS: [RegExp, string][] = [
  [/MicroMessenger\/([\d.]+)/, '微信'],
  [/Edg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/(?:OPR|Opera)\/(\d+)/, 'Opera'],
  [/Firefox\/(\d+)/, 'Firefox'],
  [/(?:Chrome|CriOS)\/(\d+)/, 'Chrome'],
  [/Version\/(\d+)[\d.]*.*Safari\//, 'Safari'],
];
const SYSTEMS: [RegExp, string][] = [
  [/Windows NT/, 'Windows'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Mac OS X/, 'macOS'],
  [/Android/, 'Android'],
  [/HarmonyOS|OpenHarmony/, '鸿蒙'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

export function describeUserAgent(ua: string): string {
  const browser = BROWSERS.find(([re]) => re.test(ua));
  const system = SYSTEMS.find(([re]) => re.test(ua));
  const version = browser ? ua.match(browser[0])?.[1]?.split('.')[0] : undefined;
  const name = browser ? `${browser[1]}${version ? ` ${version}` : ''}` : '未知浏览器';
  return system ? `${name}（${system[1]}）` : name;
}

/** Loopback and private ranges say so; a public address is shown as it is (no IP-to-region data is shipped). */
export function placeOfIp(ip: string): string {
  const v4 = ip.replace(/^::ffff:/, '');
  if (v4 === '127.0.0.1' || ip === '::1') return '本机';
  if (/^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.)/.test(v4) || /^f[cd][0-9a-f]{2}:/i.test(ip))
    return '内网';
  return '互联网';
}
