/** A dialable tel: link for a hotline as printed (400-023-9229 → tel:4000239229; a landline's extension → ",ext"). */
export function telHref(phone: string): string {
  const m = /^(0\d{2,3}-?\d{7,8})-(\d{1,6})$/.exec(phone);
  if (m) return `tel:${(m[1] as string).replace(/\D/g, '')},${m[2]}`;
  return `tel:${phone.replace(/\D/g, '')}`;
}
