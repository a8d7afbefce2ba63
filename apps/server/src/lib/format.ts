/** Times as a person in China reads them in exports and documents (storage stays UTC). */
const CHINA_DATE_TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  dateStyle: 'short',
  timeStyle: 'medium',
  hour12: false,
});

export const chinaDateTime = (d: Date | null | undefined): string => (d ? CHINA_DATE_TIME.format(d) : '');
