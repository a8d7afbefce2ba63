import { FileProtectOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { CERT_STATUS_LABELS } from '@cpe/shared/labels/certificates';
import type { TCertificate } from '@cpe/shared/schemas/certificates';
import { Alert, Button, Card, Empty, Skeleton, Tag } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { Link } from 'react-router';
import { toApiError } from '../../../shared/api/client';
import { formatDateTime } from '../../../shared/format';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { MyCreditRecord, MySeminarCertificates } from '../../seminars/MySeminarRecords';
import { useMyCertificates } from '../api';
import '../certificates.css';

// 打印证书's dialog (its unit search, selects and form) loads when a certificate is first printed.
const PrintCertificateModal = lazy(() =>
  import('../components/PrintCertificateModal').then((m) => ({ default: m.PrintCertificateModal })),
);

const day = (iso: string) => formatDateTime(iso).slice(0, 10);

/** 我的证书 (portal /certificates): completed plans with 打印证书. */
export function CertificatesPage() {
  const site = useSite().data;
  usePageTitle('我的证书', site?.name);
  const list = useMyCertificates();
  const [printing, setPrinting] = useState<TCertificate | null>(null);
  // Kept once opened, so closing it animates as before.
  const [printOpened, setPrintOpened] = useState(false);

  return (
    <div className="cpe-cert-page">
      <h1 className="cpe-cert-title">
        <SafetyCertificateOutlined /> 我的证书
      </h1>
      <Alert
        className="cpe-cert-note"
        type="info"
        showIcon
        message="达到培训项目要求的学分后，在此查看已完成的培训计划，点击“打印证书”，按照提示完善个人信息后即可打印合格证书。合格证已采用电子印章，无需加盖鲜章。"
      />
      {list.isPending ? (
        <Skeleton active />
      ) : list.isError ? (
        <Alert
          type="error"
          showIcon
          message={toApiError(list.error).message}
          action={
            <Button size="small" onClick={() => list.refetch()}>
              重试
            </Button>
          }
        />
      ) : list.data.items.length === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description="暂无证书：学习完成培训计划要求的30学时课程后，即可在此打印合格证书"
        >
          <Link to="/gxkm">
            <Button type="primary">进入公需科目</Button>
          </Link>
        </Empty>
      ) : (
        <div className="cpe-cert-list">
          {list.data.items.map((c) => (
            <Card
              key={c.id}
              className="cpe-cert-card"
              title={c.planName}
              extra={<Tag color={c.status === 'valid' ? 'green' : 'red'}>{CERT_STATUS_LABELS[c.status]}</Tag>}
            >
              <dl className="cpe-cert-meta">
                <dt>年度</dt>
                <dd>{c.year}年</dd>
                <dt>学时</dt>
                <dd>{c.hours}学时</dd>
                <dt>证书编号</dt>
                <dd>{c.certNo}</dd>
                <dt>发证日期</dt>
                <dd>{day(c.issuedAt)}</dd>
                <dt>组织机构</dt>
                <dd>{c.orgName ?? '未选择'}</dd>
              </dl>
              {c.status === 'revoked' ? (
                <Alert type="error" showIcon message={`证书已撤销${c.revokedAt ? `（${day(c.revokedAt)}）` : ''}`} />
              ) : (
                <Button
                  type="primary"
                  block
                  icon={<FileProtectOutlined />}
                  onClick={() => {
                    setPrintOpened(true);
                    setPrinting(c);
                  }}
                >
                  打印证书
                </Button>
              )}
            </Card>
          ))}
        </div>
      )}
      <MySeminarCertificates />
      <MyCreditRecord />
      {printOpened && (
        <Suspense fallback={null}>
          <PrintCertificateModal
            certificate={printing ? (list.data?.items.find((c) => c.id === printing.id) ?? printing) : null}
            onClose={() => setPrinting(null)}
          />
        </Suspense>
      )}
    </div>
  );
}
