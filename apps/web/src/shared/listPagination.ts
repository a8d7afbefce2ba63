import type { TablePaginationConfig } from 'antd';

/**
 * The pager every list page uses: page sizes, 共 N 条, and back to page 1 when the page size changes (the
 * current page number means nothing at another size). `onChange` gets the page and size to load.
 */
export function listPagination(opts: {
  page: number;
  pageSize: number;
  total: number;
  /** Absent when the Table's own onChange handles paging together with sorting. */
  onChange?: (page: number, pageSize: number) => void;
  sizes?: number[];
  /** What a row is called in 共 N 条 (行 for a file's rows). */
  unit?: string;
  small?: boolean;
}): TablePaginationConfig {
  return {
    current: opts.page,
    pageSize: opts.pageSize,
    total: opts.total,
    showSizeChanger: true,
    pageSizeOptions: opts.sizes ?? [10, 20, 50, 100],
    showTotal: (total) => `共 ${total} ${opts.unit ?? '条'}`,
    ...(opts.small === false ? {} : { size: 'small' as const }),
    ...(opts.onChange
      ? { onChange: (page: number, size: number) => opts.onChange?.(size !== opts.pageSize ? 1 : page, size) }
      : {}),
  };
}
