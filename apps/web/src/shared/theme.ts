import type { ThemeConfig } from 'antd';

export const GOV_BLUE = '#1a5fb4';

/**
 * The one antd theme of both apps. zeroRuntime: antd compiles no component styles in the browser; the build
 * generates them for this theme (apps/web/scripts/antd-css.ts) and each JS chunk carries its components' CSS.
 * hashed: false so the class names match that CSS whatever the token (reduced motion changes it).
 */
export const theme: ThemeConfig = {
  zeroRuntime: true,
  hashed: false,
  token: {
    colorPrimary: GOV_BLUE,
    colorLink: GOV_BLUE,
    borderRadius: 4,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  },
};
