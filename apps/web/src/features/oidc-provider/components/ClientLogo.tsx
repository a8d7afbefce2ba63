import { AppstoreOutlined } from '@ant-design/icons';

/** A system's logo (an inline PNG the server re-encoded), or a neutral icon. */
export function ClientLogo({ logo, name, size = 48 }: { logo: string | null; name: string; size?: number }) {
  const style = { width: size, height: size };
  if (logo) return <img className="cpe-oidc-logo" src={logo} alt={`${name}图标`} style={style} />;
  return (
    <span className="cpe-oidc-logo cpe-oidc-logo-placeholder" style={style} aria-hidden>
      <AppstoreOutlined />
    </span>
  );
}
