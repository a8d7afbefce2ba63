import { DownloadOutlined } from '@ant-design/icons';
import { CERT_STATUS_LABELS } from '@cpe/shared/labels/certificates';
import type { TCreditEntry } from '@cpe/shared/schemas/credits';
import { Alert, App, Button, Card, Empty, Flex, Skeleton, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { isUnauthenticated, toApiError } from '../../shared/api/client';
import { downloadFile } from '../../shared/api/download';
import { formatDateTime } from '../../shared/format';
import { seminarCertificatePdfUrl, useMyCredits, useMySeminarCertificates } from './api';

const day = (iso: string) => formatDateTime(iso).slice(0, 10);

/** 我的证书: the 高研班结业证书 issued on 结业 of a class the person attended (none: nothing shown). */
export function MySeminarCertificates() {
  const { message } = App.useApp();
  const list = useMySeminarCertificates();
  const [downloading, setDownloading] = useState<string | null>(null);
  if (list.isPending || list.isError || list.data.items.length === 0) return null;

  const download = async (id: string, certNo: string) => {
    setDownloading(id);
    try {
      await downloadFile(seminarCertificatePdfUrl(id), `高研班结业证书-${certNo}.pdf`);
    } catch (err) {
      if (!isUnauthenticated(err)) message.error(toApiError(err).message);
    } finally {
      setDownloading(null);
    }
  };

  return (
    <section className="cpe-cert-section">
      <h2 className="cpe-cert-subtitle">高研班结业证书</h2>
      <div className="cpe-cert-list">
        {list.data.items.map((c) => (
          <Card
            key={c.id}
            className="cpe-cert-card"
            title={c.projectName}
            extra={<Tag color={c.status === 'valid' ? 'green' : 'red'}>{CERT_STATUS_LABELS[c.status]}</Tag>}
          >
            <dl className="cpe-cert-meta">
              <dt>承办单位</dt>
              <dd>{c.hostUnit}</dd>
              <dt>举办时间</dt>
              <dd>
                {c.heldFrom} 至 {c.heldTo}
              </dd>
              <dt>学时</dt>
              <dd>{c.hours}学时</dd>
              <dt>证书编号</dt>
              <dd>{c.certNo}</dd>
              <dt>发证日期</dt>
              <dd>{day(c.issuedAt)}</dd>
            </dl>
            {c.status === 'revoked' ? (
              <Alert type="error" showIcon message="证书已撤销" />
            ) : (
              <Button
                type="primary"
                block
                icon={<DownloadOutlined />}
                loading={downloading === c.id}
                onClick={() => download(c.id, c.certNo)}
              >
                下载证书
              </Button>
            )}
          </Card>
        ))}
      </div>
    </section>
  );
}

/** 学时记录: the person's 学时 entries (公需科目 and 专业科目), by year; 学时档案 (/credits) has each year against the 90. */
export function MyCreditRecord() {
  const credits = useMyCredits();
  return (
    <section className="cpe-cert-section">
      <Flex justify="space-between" align="baseline" wrap gap="4px 16px">
        <h2 className="cpe-cert-subtitle">学时记录</h2>
        <Link to="/credits">查看学时档案</Link>
      </Flex>
      {credits.isPending ? (
        <Skeleton active />
      ) : credits.isError ? (
        <Alert type="error" showIcon message={toApiError(credits.error).message} />
      ) : credits.data.items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无学时记录" />
      ) : (
        <>
          <p>
            {credits.data.years.map((y) => (
              <Tag key={y.year} color="blue">
                {y.year}年度 {y.hours}学时
              </Tag>
            ))}
          </p>
          <Table<TCreditEntry>
            rowKey="id"
            size="small"
            pagination={false}
            scroll={{ x: 560 }}
            dataSource={credits.data.items}
            columns={[
              { title: '年度', dataIndex: 'year', width: 80 },
              { title: '类别', dataIndex: 'categoryLabel', width: 100 },
              { title: '学习形式', dataIndex: 'form', width: 100 },
              { title: '名称', dataIndex: 'title' },
              { title: '学时', dataIndex: 'hours', width: 70, align: 'right' },
            ]}
          />
        </>
      )}
    </section>
  );
}
