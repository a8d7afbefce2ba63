import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Table, Tag } from 'antd';
import { useState } from 'react';
import { isUnauthenticated, toApiError } from '../../../shared/api/client';
import { downloadFile } from '../../../shared/api/download';
import { formatDateTime } from '../../../shared/format';
import { templateUrl, useRosterList } from '../api';
import type { RosterScope, RosterSummary } from '../types';
import { RosterNotes } from './RosterNotes';
import { IMPORT_STATUS, RosterResult } from './RosterResult';
import { RosterUpload } from './RosterUpload';
import '../roster.css';

/** 学员注册名单 on either app: template and notes, upload, the chosen import's result, the earlier imports. */
export function RosterWorkspace({ scope }: { scope: RosterScope }) {
  const [current, setCurrent] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [downloading, setDownloading] = useState(false);
  const list = useRosterList(scope, page, 10);
  const { message } = App.useApp();

  const onTemplate = async () => {
    setDownloading(true);
    try {
      await downloadFile(templateUrl(scope), '学员注册名单.xlsx');
    } catch (err) {
      if (!isUnauthenticated(err)) message.error(toApiError(err).message);
    } finally {
      setDownloading(false);
    }
  };

  const open = (id: string) => {
    setCurrent(id);
    requestAnimationFrame(() =>
      document.getElementById('cpe-roster-current')?.scrollIntoView({ behavior: 'smooth', block: 'start' }),
    );
  };

  return (
    <div className="cpe-roster">
      <div className="cpe-roster-intro">
        <p className="cpe-roster-lead">
          请下载《学员注册名单》模板（附件2），按模板填写后上传。系统逐行校验，确认后为校验通过的学员创建账号。
        </p>
        <Button icon={<DownloadOutlined />} loading={downloading} onClick={onTemplate}>
          下载模板
        </Button>
      </div>
      <RosterNotes />
      <RosterUpload scope={scope} onUploaded={(d) => open(d.id)} />

      <div id="cpe-roster-current">{current && <RosterResult key={current} scope={scope} id={current} />}</div>

      <section className="cpe-roster-history" aria-labelledby="cpe-roster-history-title">
        <h3 id="cpe-roster-history-title" className="cpe-roster-subtitle">
          {scope === 'console' ? '全部上传记录' : '我的上传记录'}
        </h3>
        <Table<RosterSummary>
          size="small"
          rowKey="id"
          loading={list.isFetching && list.isPlaceholderData}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 760 }}
          locale={{
            emptyText: list.isError ? `加载失败：${toApiError(list.error).message}` : '暂无上传记录',
          }}
          rowClassName={(r) => (r.id === current ? 'cpe-roster-row-current' : '')}
          pagination={{
            current: page,
            pageSize: 10,
            total: list.data?.total ?? 0,
            hideOnSinglePage: true,
            onChange: setPage,
          }}
          columns={[
            { title: '文件名', dataIndex: 'fileName', ellipsis: true },
            {
              title: '单位全称',
              key: 'unitName',
              ellipsis: true,
              render: (_: unknown, r) => r.header.unitName || <span className="cpe-muted">—</span>,
            },
            { title: '总行数', dataIndex: 'total', width: 72, align: 'right' },
            { title: '通过', dataIndex: 'valid', width: 64, align: 'right' },
            { title: '未通过', dataIndex: 'invalid', width: 72, align: 'right' },
            { title: '已创建', dataIndex: 'createdCount', width: 72, align: 'right' },
            {
              title: '状态',
              dataIndex: 'status',
              width: 84,
              render: (s: RosterSummary['status']) => (
                <Tag color={IMPORT_STATUS[s].color}>{IMPORT_STATUS[s].label}</Tag>
              ),
            },
            {
              title: '上传时间',
              dataIndex: 'createdAt',
              width: 150,
              render: (v: string) => formatDateTime(v),
            },
            {
              title: '操作',
              key: 'op',
              width: 64,
              fixed: 'right',
              render: (_: unknown, r) => (
                <Button type="link" size="small" onClick={() => open(r.id)}>
                  查看
                </Button>
              ),
            },
          ]}
        />
      </section>
    </div>
  );
}
