/**
 * A year's (or a category's) 学时 as shown: never below 0. A negative 学时更正 that takes back more than was counted
 * leaves the stored sum below 0; the data stays as recorded (the entries explain it) and only the display is clamped.
 */
export const shownHours = (hours: number) => Math.max(0, hours);

/** A correction's figure with its sign (+10 / −40); any other entry's as it is. */
export const signedHours = (hours: number, correction: boolean) =>
  correction ? (hours > 0 ? `+${hours}` : `−${Math.abs(hours)}`) : String(hours);

/** 达标率 0–1 as a percentage with one decimal. */
export const percentText = (rate: number) => `${(rate * 100).toFixed(1)}%`;
