import type { TCreditImport, TCreditImportList } from '@cpe/shared/schemas/credit-import';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, csrfToken, NETWORK_ERROR_MESSAGE, qs } from '../../shared/api/client';

/** 学时批量导入 on the console (培训中心) or in 单位中心 (a 继续教育基地): the same screens, another API. */
export type CreditImportScope = 'console' | 'unit-center';

export function creditImportBase(scope: CreditImportScope): string {
  return scope === 'console' ? '/api/admin/credit-imports' : '/api/unit-center/credit-imports';
}

export const creditImportsKey = (scope: CreditImportScope) => ['credit-imports', scope] as const;

export const creditImportTemplateUrl = (scope: CreditImportScope) => `${creditImportBase(scope)}/template.xlsx`;

export function useCreditImports(scope: CreditImportScope, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...creditImportsKey(scope), page, pageSize],
    queryFn: () => api.get<TCreditImportList>(`${creditImportBase(scope)}${qs({ page, pageSize })}`),
    placeholderData: keepPreviousData,
  });
}

/** The server's error body for a failed upload (or a network failure). */
export interface UploadError {
  status: number;
  code: string;
  message: string;
  fields?: Record<string, string>;
}

/**
 * Uploads a file with progress: XHR because fetch reports no upload progress. `onProgress` gets 0–100 while the
 * bytes go up; the server then checks and imports before it answers. Rejects with the server's error body.
 */
export function uploadCreditImport(
  scope: CreditImportScope,
  file: File,
  onProgress: (percent: number) => void,
): { done: Promise<TCreditImport>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = (async () => {
    const token = await csrfToken();
    return new Promise<TCreditImport>((resolve, reject) => {
      xhr.open('POST', creditImportBase(scope));
      xhr.withCredentials = true;
      xhr.setRequestHeader('x-csrf-token', token);
      xhr.setRequestHeader('accept', 'application/json');
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(Math.min(100, Math.floor((e.loaded / e.total) * 100)));
      };
      xhr.onload = () => {
        let body: unknown;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          body = undefined;
        }
        if (xhr.status >= 200 && xhr.status < 300) {
          resolve(body as TCreditImport);
          return;
        }
        const b = (body ?? {}) as Partial<UploadError>;
        reject({
          status: xhr.status,
          code: b.code ?? `HTTP_${xhr.status}`,
          message: b.message ?? `上传失败（${xhr.status}），请稍后再试`,
          fields: b.fields,
        } satisfies UploadError);
      };
      xhr.onerror = () => reject({ status: 0, code: 'NETWORK_ERROR', message: NETWORK_ERROR_MESSAGE });
      xhr.onabort = () => reject({ status: 0, code: 'ABORTED', message: '已取消上传' });
      const body = new FormData();
      body.append('file', file, file.name);
      xhr.send(body);
    });
  })();
  return { done, abort: () => xhr.abort() };
}
