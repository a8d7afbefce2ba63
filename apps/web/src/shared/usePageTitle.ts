import { useEffect } from 'react';

/** "<page> - <site>" in the browser tab. */
export function usePageTitle(page: string, site: string | undefined): void {
  useEffect(() => {
    document.title = site ? `${page} - ${site}` : page;
  }, [page, site]);
}
