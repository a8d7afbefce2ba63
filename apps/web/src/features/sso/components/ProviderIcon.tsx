import { IdcardOutlined, KeyOutlined, UsbOutlined, WechatOutlined } from '@ant-design/icons';
import type { TLoginProviderIcon } from '@cpe/shared/schemas/sso';
import '../sso.css';

/**
 * The round badge of a 第三方登录 (login page, 个人中心, console): 政 for 政务服务网, WeChat's logo, an ID card for
 * 电子营业执照, a USB key for CA 证书.
 */
export function ProviderIcon({ icon, size = 32 }: { icon: TLoginProviderIcon; size?: number }) {
  const glyph =
    icon === 'gov' ? (
      <span className="cpe-provider-glyph">政</span>
    ) : icon === 'wechat' ? (
      <WechatOutlined />
    ) : icon === 'e-license' ? (
      <IdcardOutlined />
    ) : icon === 'ca' ? (
      <UsbOutlined />
    ) : (
      <KeyOutlined />
    );
  return (
    <span
      className={`cpe-provider cpe-provider-${icon}`}
      style={{ width: size, height: size, fontSize: Math.round(size / 2) }}
      aria-hidden="true"
    >
      {glyph}
    </span>
  );
}
