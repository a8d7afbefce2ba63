import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ME_KEY } from '../features/identity/api';
import { configureApi, ensureCsrf } from '../shared/api/client';
import { AppProviders, createQueryClient } from '../shared/AppProviders';
import '../shared/styles.css';
import './portal.css';
import { PortalApp } from './PortalApp';

const queryClient = createQueryClient();
configureApi({ csrfCookie: 'cpe_csrf', onUnauthenticated: () => queryClient.setQueryData(ME_KEY, null) });
void ensureCsrf();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppProviders queryClient={queryClient}>
      <BrowserRouter>
        <PortalApp />
      </BrowserRouter>
    </AppProviders>
  </StrictMode>,
);
