import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { type ReactNode, useSyncExternalStore } from 'react';
import { ApiError } from './api/client';
import { theme } from './theme';
// antd's base styles (shared rules, icons, keyframes); each component's own arrive with its chunk.
import 'virtual:antd-css/inject';

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

const REDUCED_MOTION = '(prefers-reduced-motion: reduce)';
const reducedMotionQuery = () => (typeof window.matchMedia === 'function' ? window.matchMedia(REDUCED_MOTION) : null);

/** Whether the person asked their system for less motion; follows the setting while the page is open. */
function usePrefersReducedMotion(): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const query = reducedMotionQuery();
      query?.addEventListener('change', onChange);
      return () => query?.removeEventListener('change', onChange);
    },
    () => reducedMotionQuery()?.matches ?? false,
  );
}

export function AppProviders({ queryClient, children }: { queryClient: QueryClient; children: ReactNode }) {
  // Dialogs, drawers and menus open without zooming or sliding for people who asked for less motion (WCAG 2.3.3).
  // The browser tests ask for it too: a click that Playwright aims while a dialog is still zooming in lands beside
  // the button (CI saw 提交 and 确认通过 taken as clicks on the mask).
  const reducedMotion = usePrefersReducedMotion();
  const themed = reducedMotion ? { ...theme, token: { ...theme.token, motion: false } } : theme;
  return (
    <QueryClientProvider client={queryClient}>
      {/* No space inserted into two-character buttons: the label stays 登录, as users and tests read it. */}
      <ConfigProvider locale={zhCN} theme={themed} button={{ autoInsertSpace: false }}>
        <App>{children}</App>
      </ConfigProvider>
    </QueryClientProvider>
  );
}
