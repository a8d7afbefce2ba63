/** LIKE / ILIKE patterns must not let a person's % or _ act as wildcards (PostgreSQL's default escape is \). */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
