/** Who is asking: recorded in audit entries and used for per-IP limits. */
export interface RequestMeta {
  ip: string;
  userAgent?: string;
}
