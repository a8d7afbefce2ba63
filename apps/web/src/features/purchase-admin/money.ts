/** 价格 is kept in 分 (integers) on the server; the editor takes 元 with two decimals. */

/** 元 → 分 by rounding, so 0.29 (0.28999… in floating point) is 29 and never 28. */
export function yuanToFen(yuan: number): number {
  return Math.round(yuan * 100);
}

export function fenToYuan(fen: number): number {
  return fen / 100;
}

/** ¥1,200.00: the 元 and 分 parts from integer arithmetic, not from a float's toFixed. */
export function formatFen(fen: number): string {
  return `¥${Math.floor(fen / 100).toLocaleString('zh-CN')}.${String(fen % 100).padStart(2, '0')}`;
}
