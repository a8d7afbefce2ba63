import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ME_KEY } from '../features/identity/api';
import { AppProviders, createQueryClient } from '../shared/AppProviders';
import { configureApi, ensureCsrf } from '../shared/api/client';
import { requestPuzzleEarly } from '../shared/captcha/puzzle';
import { readPlatformTimeZone } from '../shared/platform-time';
import '../shared/styles.css';
import './portal.css';
import { PortalApp } from './PortalApp';

// Before anything renders a date: the zone the server configured (PLATFORM_TIME_ZONE).
readPlatformTimeZone();
const queryClient = createQueryClient();
configureApi({ csrfCookie: 'cpe_csrf', onUnauthenticated: () => queryClient.setQueryData(ME_KEY, null) });
void ensureCsrf();
// 登录's slider puzzle comes with the app instead of after the login page's own code (captcha/puzzle.ts).
if (window.location.pathname === '/login') requestPuzzleEarly();

// The first render as a transition: React renders it in slices and lets the browser breathe between them, so a
// slow phone does not sit in one long task while the app, antd's theme and the first page render.
const root = createRoot(document.getElementById('root')!);
startTransition(() =>
  root.render(
    <StrictMode>
      <AppProviders queryClient={queryClient}>
        {/* Plain (non-transition) navigation: a navigate() and a cache update made together render together,
            so leaving a login-only page after logout never flashes a redirect in between. */}
        <BrowserRouter useTransitions={false}>
          <PortalApp />
        </BrowserRouter>
      </AppProviders>
    </StrictMode>,
  ),
);
