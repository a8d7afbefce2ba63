import { SearchOutlined } from '@ant-design/icons';
import type { TTrainee } from '@cpe/shared/schemas/seminars';
import { Alert, Input, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type ReactNode, useState } from 'react';
import { toApiError } from '../../shared/api/client';
import { useTrainees } from './api';

const COLUMNS: ColumnsType<TTrainee> = [
  { title: '行号', dataIndex: 'line', width: 70 },
  { title: '姓名', dataIndex: 'name', width: 100 },
  { title: '证件号码', dataIndex: 'idNumberMasked', width: 190 },
  { title: '工作单位', dataIndex: 'employer', ellipsis: true },
  { title: '职称/职务', dataIndex: 'title', width: 120, render: (v: string) => v || '—' },
  { title: '出勤天数', dataIndex: 'attendanceDays', width: 90, align: 'right' },
  {
    title: '研修成果',
    dataIndex: 'result',
    width: 90,
    render: (v: TTrainee['result']) => <Tag color={v === '合格' ? 'green' : 'default'}>{v}</Tag>,
  },
];

/**
 * The saved 学员名单, read-only: 共N人、合格N人, search by 姓名, paged (身份证号码 masked by the server). `fetchUrl` is
 * the list's API path (the filer's /api/applications/:id/trainees, or the reviewers' route); `extra` sits beside
 * the search box (the editor's 清空).
 */
export function TraineeListView({ fetchUrl, extra }: { fetchUrl: string; extra?: ReactNode }) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [keyword, setKeyword] = useState('');
  const list = useTrainees(fetchUrl, { page, pageSize, keyword: keyword || undefined });
  const data = list.data;

  return (
    <div className="cpe-trainee-view">
      <div style={{ display: 'flex', gap: 12, alignItems: 'center', flexWrap: 'wrap', marginBottom: 12 }}>
        <span>
          {data
            ? `共${data.summary.total}人，合格${data.summary.passed}人${data.classDays !== null ? `（开班天数${data.classDays}天）` : ''}`
            : '学员名单'}
        </span>
        <Input.Search
          allowClear
          placeholder="按姓名查询"
          prefix={<SearchOutlined />}
          maxLength={30}
          style={{ maxWidth: 240 }}
          onSearch={(v) => {
            setKeyword(v.trim());
            setPage(1);
          }}
          aria-label="按姓名查询"
        />
        <span style={{ marginLeft: 'auto' }}>{extra}</span>
      </div>
      {list.isError ? (
        <Alert type="error" showIcon message={toApiError(list.error).message} />
      ) : (
        <Table<TTrainee>
          rowKey="id"
          size="small"
          columns={COLUMNS}
          dataSource={data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: 800 }}
          locale={{ emptyText: keyword ? '没有找到该姓名的学员' : '尚未填写学员名单' }}
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100],
            showTotal: (t) => `共 ${t} 条`,
            onChange: (p, s) => {
              setPage(s === pageSize ? p : 1);
              setPageSize(s);
            },
          }}
        />
      )}
    </div>
  );
}
