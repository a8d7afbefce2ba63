/** Masks for personal data shown in lists, logs and step pages (PIPL): 150****5655, **飞, 5****************X. */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

export function maskIdNumber(id: string): string {
  if (id.length < 4) return '*'.repeat(id.length);
  return `${id.slice(0, 1)}${'*'.repeat(id.length - 2)}${id.slice(-1)}`;
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
