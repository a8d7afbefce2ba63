/** 价格 is kept in 分 (integers) on the server; the editor takes 元 with two decimals. */

/** 元 → 分 by rounding, so 0.29 (0.28999… in floating point) is 29 and never 28. */
export function yuanToFen(yuan: number): number {
  return Math.round(yuan * 100);
}

export function fenToYuan(fen: number): number {
  return fen / 100;
}

/** ¥1,200.00 (or -¥120.50): the 元 and 分 parts from integer arithmetic, not from a float's toFixed. */
export function formatFen(fen: number): string {
  const abs = Math.abs(fen);
  const text = `¥${Math.floor(abs / 100).toLocaleString('zh-CN')}.${String(abs % 100).padStart(2, '0')}`;
  return fen < 0 ? `-${text}` : text;
}
