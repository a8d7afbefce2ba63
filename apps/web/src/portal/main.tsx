import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ME_KEY } from '../features/identity/api';
import { AppProviders, createQueryClient } from '../shared/AppProviders';
import { configureApi, ensureCsrf } from '../shared/api/client';
import '../shared/styles.css';
import './portal.css';
import { PortalApp } from './PortalApp';

const queryClient = createQueryClient();
configureApi({ csrfCookie: 'cpe_csrf', onUnauthenticated: () => queryClient.setQueryData(ME_KEY, null) });
void ensureCsrf();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppProviders queryClient={queryClient}>
      {/* Plain (non-transition) navigation: a navigate() and a cache update made together render together,
          so leaving a login-only page after logout never flashes a redirect in between. */}
      <BrowserRouter useTransitions={false}>
        <PortalApp />
      </BrowserRouter>
    </AppProviders>
  </StrictMode>,
);
