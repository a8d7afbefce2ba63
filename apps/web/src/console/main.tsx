import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { STAFF_ME_KEY } from '../features/identity/staff-api';
import { AppProviders, createQueryClient } from '../shared/AppProviders';
import { configureApi, ensureCsrf } from '../shared/api/client';
import { requestPuzzleEarly } from '../shared/captcha/puzzle';
import { readPlatformTimeZone } from '../shared/platform-time';
import '../shared/styles.css';
import './console.css';
import { ConsoleApp } from './ConsoleApp';

// Before anything renders a date: the zone the server configured (PLATFORM_TIME_ZONE).
readPlatformTimeZone();
const queryClient = createQueryClient();
configureApi({
  csrfCookie: 'cpe_staff_csrf',
  onUnauthenticated: () => queryClient.setQueryData(STAFF_ME_KEY, null),
});
void ensureCsrf();
// 登录's slider puzzle comes with the app instead of after the login page's own code (captcha/puzzle.ts).
if (window.location.pathname === '/login') requestPuzzleEarly();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppProviders queryClient={queryClient}>
      {/* Plain (non-transition) navigation: a navigate() and a cache update made together render together,
          so leaving a login-only page after logout never flashes a redirect in between. */}
      <BrowserRouter useTransitions={false}>
        <ConsoleApp />
      </BrowserRouter>
    </AppProviders>
  </StrictMode>,
);
