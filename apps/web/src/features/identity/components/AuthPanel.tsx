import type { ReactNode } from 'react';

/** The white panel of the 统一认证中心 pages (注册, 忘记密码, 人工找回): title, optional subtitle and step bar. */
export function AuthPanel({
  title,
  subtitle,
  steps,
  children,
}: {
  title: string;
  subtitle?: ReactNode;
  steps?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="cpe-auth-page">
      <section className="cpe-auth-panel">
        <h1 className="cpe-auth-title">{title}</h1>
        {subtitle && <p className="cpe-auth-subtitle">{subtitle}</p>}
        {steps && <div className="cpe-auth-steps">{steps}</div>}
        <div className="cpe-auth-body">{children}</div>
      </section>
    </div>
  );
}
