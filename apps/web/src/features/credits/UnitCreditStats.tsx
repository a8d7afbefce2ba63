import { BellOutlined, DownloadOutlined } from '@ant-design/icons';
import {
  CREDIT_PROFESSIONAL_MIN,
  CREDIT_STAT_FILTER_LABELS,
  CREDIT_STAT_FILTERS,
  CREDIT_YEARLY_TARGET,
  type TUnitCreditStat,
} from '@cpe/shared';
import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Input, Segmented, Select, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api, toApiError } from '../../shared/api/client';
import { useExport } from '../../shared/api/download';
import { platformYear } from '../../shared/platform-time';
import { type UnitCreditStatsQuery, unitCreditStatsExportUrl, useUnitCreditStats } from './api';
import './credits.css';

type Filter = (typeof CREDIT_STAT_FILTERS)[number];

/**
 * 单位中心 → 学时统计: the unit's confirmed members of a year (单位人员) with their 学时 — total, 公需科目, 专业科目 —
 * and whether the year is 达标 (90, of which 专业科目 60). Filters 未达标 and 专业科目不足, a name search, Excel export
 * of the filtered list.
 */
export function UnitCreditStats() {
  const thisYear = platformYear();
  const [q, setQ] = useState<UnitCreditStatsQuery>({ year: thisYear, filter: 'all', page: 1, pageSize: 20 });
  const [keyword, setKeyword] = useState('');
  const stats = useUnitCreditStats(q);
  const { exporting, run } = useExport();
  const set = (patch: Partial<UnitCreditStatsQuery>) => setQ((prev) => ({ ...prev, page: 1, ...patch }));
  const years = Array.from({ length: 5 }, (_, i) => thisYear - i);
  const { message, modal } = App.useApp();
  const remind = useMutation({
    mutationFn: (year: number) => api.post<{ sent: number }>('/api/unit-center/credit-stats/remind', { year }),
    onSuccess: (r) => message.success(r.sent > 0 ? `已向 ${r.sent} 名未达标人员发送提醒` : '没有需要提醒的人员'),
    onError: (e) => message.error(toApiError(e).message),
  });
  const askRemind = () =>
    modal.confirm({
      title: `提醒${q.year}年度未达标人员`,
      content: `将向本单位 ${stats.data?.summary.remindable ?? 0} 名未达标的在职人员发送站内消息（绑定手机的同时发送短信），提醒其参加学习并登记学时。每个年度每天只能提醒一次。`,
      okText: '发送提醒',
      cancelText: '取消',
      onOk: () => remind.mutateAsync(q.year).catch(() => undefined),
    });

  const columns: ColumnsType<TUnitCreditStat> = [
    {
      title: '序号',
      key: 'index',
      width: 56,
      align: 'center',
      render: (_v, _r, i) => (q.page - 1) * q.pageSize + i + 1,
    },
    { title: '姓名', dataIndex: 'realName', width: 100 },
    { title: '证件号码', dataIndex: 'idNumberMasked', width: 190 },
    { title: '总学时', dataIndex: 'hours', width: 80, align: 'right' },
    { title: '公需科目', dataIndex: 'publicHours', width: 86, align: 'right' },
    {
      title: '专业科目',
      dataIndex: 'professionalHours',
      width: 86,
      align: 'right',
      render: (v: number) => (v < CREDIT_PROFESSIONAL_MIN ? <span className="cpe-credit-short">{v}</span> : v),
    },
    {
      title: '是否达标',
      dataIndex: 'met',
      width: 90,
      render: (met: boolean) => (met ? <Tag color="success">达标</Tag> : <Tag color="warning">未达标</Tag>),
    },
  ];

  const data = stats.data;
  return (
    <div className="cpe-credit-stats">
      <Alert
        type="info"
        showIcon
        message={`本单位人员（单位人员中已确认的）在所选年度获得的学时。达标：全年不少于 ${CREDIT_YEARLY_TARGET} 学时，且专业科目不少于 ${CREDIT_PROFESSIONAL_MIN} 学时。`}
      />
      <Space wrap className="cpe-credit-stats-toolbar">
        <span>
          年度{' '}
          <Select
            aria-label="年度"
            value={q.year}
            style={{ width: 120 }}
            options={years.map((y) => ({ value: y, label: `${y}年度` }))}
            onChange={(year) => set({ year })}
          />
        </span>
        <Segmented<Filter>
          value={q.filter}
          options={CREDIT_STAT_FILTERS.map((f) => ({ value: f, label: CREDIT_STAT_FILTER_LABELS[f] }))}
          onChange={(filter) => set({ filter })}
        />
        <Input.Search
          aria-label="按姓名查找"
          placeholder="按姓名查找"
          allowClear
          style={{ width: 200 }}
          value={keyword}
          onChange={(e) => setKeyword(e.target.value)}
          onSearch={(v) => set({ keyword: v.trim() || undefined })}
        />
        <Button
          icon={<DownloadOutlined />}
          loading={exporting}
          disabled={!data || data.total === 0}
          onClick={() => run(unitCreditStatsExportUrl(q), `${q.year}年度学时统计.xlsx`)}
        >
          导出Excel
        </Button>
        <Button
          icon={<BellOutlined />}
          loading={remind.isPending}
          disabled={!data || data.summary.remindable === 0}
          onClick={askRemind}
        >
          提醒未达标人员
        </Button>
      </Space>
      {stats.isError ? (
        <Alert type="error" showIcon message={toApiError(stats.error).message} />
      ) : (
        <>
          {data && (
            <p className="cpe-credit-stats-summary" data-testid="credit-stats-summary">
              {data.year}年度本单位人员 {data.summary.members} 人，达标 {data.summary.met} 人，未达标{' '}
              {data.summary.unmet} 人
            </p>
          )}
          <Table<TUnitCreditStat>
            rowKey="memberId"
            size="middle"
            loading={stats.isFetching}
            columns={columns}
            dataSource={data?.items ?? []}
            scroll={{ x: 690 }}
            locale={{
              emptyText: (
                <Empty
                  image={Empty.PRESENTED_IMAGE_SIMPLE}
                  description={
                    data && data.summary.members === 0
                      ? '所选年度本单位没有已确认的人员，人员可在“个人中心 → 工作单位”申请加入，在“单位人员”中确认'
                      : '没有符合条件的人员'
                  }
                />
              ),
            }}
            pagination={{
              current: q.page,
              pageSize: q.pageSize,
              total: data?.total ?? 0,
              showSizeChanger: true,
              showTotal: (t) => `共 ${t} 人`,
              onChange: (page, pageSize) => setQ((prev) => ({ ...prev, page, pageSize })),
            }}
          />
        </>
      )}
    </div>
  );
}
