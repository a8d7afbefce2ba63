/** Masks for personal data shown in lists, logs and step pages (PIPL): 150****5655, **飞, 5****************X. */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

/**
 * Any 证件号码, its type read from its shape (the types do not overlap, see id-document.ts): a 身份证 or 永居证
 * keeps its first and last character, a 居住证 its 81/82/83 (which says only 香港/澳门/台湾), an old 永居证 its
 * nationality letters, a passport (short, no check character) its first and last two.
 */
export function maskIdNumber(id: string): string {
  if (id.length < 4) return '*'.repeat(id.length);
  let head = 1;
  let tail = 1;
  if (/^8[123]\d{15}[\dX]$/.test(id)) head = 2;
  else if (/^[A-Z]{3}\d{12}$/.test(id)) head = 3;
  else if (id.length < 15) tail = 2;
  return `${id.slice(0, head)}${'*'.repeat(Math.max(id.length - head - tail, 1))}${id.slice(-tail)}`;
}

/** Keeps only the last character, as the seed's "**飞". */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= 1) return '*';
  return `${'*'.repeat(chars.length - 1)}${chars[chars.length - 1]}`;
}

export function maskUsername(username: string): string {
  if (username.length <= 2) return `${username.slice(0, 1)}*`;
  return `${username.slice(0, 2)}****${username.slice(-2)}`;
}
