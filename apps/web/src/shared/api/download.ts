import { App } from 'antd';
import { useState } from 'react';
import { ApiError, isUnauthenticated, NETWORK_ERROR_MESSAGE, toApiError } from './client';

/**
 * Fetches a download the API serves (导出 Excel, 下载错误文件, reports) and saves it under the server's file name.
 * Errors come back as the API's own { code, message } so the page can show them instead of leaving for a JSON page.
 */
export async function downloadFile(url: string, fallbackName: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, { code: 'NETWORK_ERROR', message: NETWORK_ERROR_MESSAGE });
  }
  if (!res.ok) {
    let body: { code?: string; message?: string } = {};
    try {
      body = (await res.json()) as typeof body;
    } catch {
      // not JSON: the generic message below
    }
    throw new ApiError(res.status, {
      code: body.code ?? `HTTP_${res.status}`,
      message: body.message ?? `下载失败（${res.status}），请稍后再试`,
    });
  }
  const blob = await res.blob();
  const star = /filename\*=UTF-8''([^;]+)/i.exec(res.headers.get('content-disposition') ?? '')?.[1];
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = star ? decodeURIComponent(star) : fallbackName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** 导出 on a list page: the button's loading state, a success message, the server's error as a message. */
export function useExport() {
  const { message } = App.useApp();
  const [exporting, setExporting] = useState(false);
  const run = async (url: string, fallbackName: string) => {
    setExporting(true);
    try {
      await downloadFile(url, fallbackName);
      message.success('已导出，请在浏览器的下载中查看');
    } catch (err) {
      if (!isUnauthenticated(err)) message.error(toApiError(err).message);
    } finally {
      setExporting(false);
    }
  };
  return { exporting, run };
}
