import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App, ConfigProvider, type ThemeConfig } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import type { ReactNode } from 'react';
import { ApiError } from './api/client';

export const GOV_BLUE = '#1a5fb4';

const theme: ThemeConfig = {
  token: {
    colorPrimary: GOV_BLUE,
    colorLink: GOV_BLUE,
    borderRadius: 4,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  },
};

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: false,
        // 4xx answers are decisions, not glitches: only network errors and 5xx are retried.
        retry: (count, err) => count < 2 && (!(err instanceof ApiError) || err.status === 0 || err.status >= 500),
      },
      mutations: { retry: false },
    },
  });
}

export function AppProviders({ queryClient, children }: { queryClient: QueryClient; children: ReactNode }) {
  return (
    <QueryClientProvider client={queryClient}>
      {/* No space inserted into two-character buttons: the label stays 登录, as users and tests read it. */}
      <ConfigProvider locale={zhCN} theme={theme} button={{ autoInsertSpace: false }}>
        <App>{children}</App>
      </ConfigProvider>
    </QueryClientProvider>
  );
}
