import { App } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';

/**
 * Warns before leaving a page with unsaved changes: closing or reloading the tab (the browser's own
 * prompt), and following an in-app link (a confirmation; the routers are declarative, so useBlocker is not
 * available). Links that download (`download`) or open a new tab are let through.
 */
export function useLeaveGuard(when: boolean, content = '您填写的内容尚未保存，离开后将丢失。确定要离开吗？') {
  const { modal } = App.useApp();
  const navigate = useNavigate();
  const asking = useRef(false);

  useEffect(() => {
    if (!when) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      // Older browsers need returnValue set to show the prompt.
      e.returnValue = '';
    };
    const onClick = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const target = e.target instanceof Element ? e.target : null;
      const a = target?.closest('a[href]');
      if (!(a instanceof HTMLAnchorElement) || a.target === '_blank' || a.hasAttribute('download')) return;
      const url = new URL(a.href, window.location.href);
      if (url.origin !== window.location.origin || url.pathname.startsWith('/api/')) return;
      if (url.pathname === window.location.pathname && url.search === window.location.search) return;
      // Before React sees the click: the link's own navigation must not run.
      e.preventDefault();
      e.stopPropagation();
      if (asking.current) return;
      asking.current = true;
      modal.confirm({
        title: '离开此页面？',
        content,
        okText: '离开',
        cancelText: '留在此页',
        onOk: () => navigate(url.pathname + url.search + url.hash),
        afterClose: () => {
          asking.current = false;
        },
      });
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
    };
  }, [when, content, modal, navigate]);
}

/** The value once it has stopped changing for `ms` (lookups while typing). */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}
