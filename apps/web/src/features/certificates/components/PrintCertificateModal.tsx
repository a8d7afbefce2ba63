import { DownloadOutlined, ExportOutlined } from '@ant-design/icons';
import { CERT_MISSING_LABELS, CERT_ORG_NOTE, CERT_PRINT_NOTE } from '@cpe/shared/labels/certificates';
import type { TCertificate, TCertificateOrganisation } from '@cpe/shared/schemas/certificates';
import { Alert, App, Button, Form, Grid, Modal, Radio, Select, Spin } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { toApiError } from '../../../shared/api/client';
import { downloadFile } from '../../../shared/api/download';
import { useShowApiError } from '../../../shared/api/form-errors';
import { certificatePdfUrl, useDistricts, useSetOrganisation, useUnitSearch } from '../api';

interface OrgValues {
  kind: 'unit' | 'district';
  unitId?: string;
  orgNodeId?: string;
}

/** 打印证书: completes 组织机构 first (the seed's notes verbatim), then shows the signed PDF with 下载证书. */
export function PrintCertificateModal({
  certificate,
  onClose,
}: {
  certificate: TCertificate | null;
  onClose: () => void;
}) {
  const screens = Grid.useBreakpoint();
  return (
    <Modal
      open={Boolean(certificate)}
      onCancel={onClose}
      footer={null}
      title="打印证书"
      width={screens.md ? 900 : '100%'}
      destroyOnHidden
    >
      {certificate && <PrintBody certificate={certificate} />}
    </Modal>
  );
}

function PrintBody({ certificate: c }: { certificate: TCertificate }) {
  const profileMissing = c.missing.filter((m) => m !== 'organisation');
  if (profileMissing.length > 0)
    return (
      <Alert
        type="warning"
        showIcon
        message={CERT_PRINT_NOTE}
        description={
          <>
            请先在个人中心完善：{profileMissing.map((m) => CERT_MISSING_LABELS[m]).join('、')}。{' '}
            <Link to="/me">前往个人中心</Link>
          </>
        }
      />
    );
  if (c.missing.includes('organisation')) return <OrganisationStep certificate={c} />;
  return <PdfStep certificate={c} />;
}

function OrganisationStep({ certificate: c }: { certificate: TCertificate }) {
  const [form] = Form.useForm<OrgValues>();
  const kind = Form.useWatch('kind', form) ?? 'unit';
  const [search, setSearch] = useState('');
  const units = useUnitSearch(search);
  const districts = useDistricts();
  const save = useSetOrganisation(c.id);
  const showError = useShowApiError();

  const onFinish = (v: OrgValues) => {
    const input: TCertificateOrganisation =
      v.kind === 'unit' ? { kind: 'unit', unitId: v.unitId ?? '' } : { kind: 'district', orgNodeId: v.orgNodeId ?? '' };
    save.mutate(input, { onError: (err) => showError(err, form) });
  };

  return (
    <>
      <Alert className="cpe-cert-note" type="info" showIcon message={CERT_PRINT_NOTE} />
      <Form form={form} layout="vertical" initialValues={{ kind: 'unit' }} onFinish={onFinish} requiredMark>
        <Form.Item label="组织机构" name="kind" extra={CERT_ORG_NOTE} required>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'unit', label: '贵单位' },
              { value: 'district', label: '档案所在区县' },
            ]}
          />
        </Form.Item>
        {kind === 'unit' ? (
          <Form.Item label="单位名称" name="unitId" rules={[{ required: true, message: '请查找并选择您的单位' }]}>
            <Select
              showSearch
              placeholder="输入单位名称（至少2个字）查找"
              filterOption={false}
              onSearch={setSearch}
              notFoundContent={
                units.isFetching ? (
                  <Spin size="small" />
                ) : search.trim().length < 2 ? (
                  '请输入至少2个字'
                ) : (
                  '查找不到贵单位？请选择您档案所在区县'
                )
              }
              options={(units.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))}
            />
          </Form.Item>
        ) : (
          <Form.Item
            label="档案所在区县"
            name="orgNodeId"
            rules={[{ required: true, message: '请选择您档案所在区县' }]}
          >
            <Select
              showSearch
              placeholder="请选择区县"
              loading={districts.isPending}
              optionFilterProp="label"
              options={(districts.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
            />
          </Form.Item>
        )}
        <div className="cpe-cert-actions">
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            确定，生成证书
          </Button>
        </div>
      </Form>
    </>
  );
}

function PdfStep({ certificate: c }: { certificate: TCertificate }) {
  const { message } = App.useApp();
  const [downloading, setDownloading] = useState(false);
  const download = async () => {
    setDownloading(true);
    try {
      await downloadFile(certificatePdfUrl(c.id, true), `合格证书-${c.certNo}.pdf`);
    } catch (err) {
      message.error(toApiError(err).message);
    } finally {
      setDownloading(false);
    }
  };
  return (
    <>
      <Alert className="cpe-cert-note" type="success" showIcon message={CERT_PRINT_NOTE} />
      {/* A frame (the page's CSP allows no plugins/objects); the PDF answer allows same-origin framing only. */}
      <iframe className="cpe-cert-viewer" src={certificatePdfUrl(c.id)} title="合格证书" />
      <p className="cpe-cert-hint">若未显示证书，请点击“在新窗口打开”或“下载证书”后查看或打印。</p>
      <div className="cpe-cert-actions">
        <Button icon={<ExportOutlined />} href={certificatePdfUrl(c.id)} target="_blank" rel="noopener">
          在新窗口打开
        </Button>
        <Button type="primary" icon={<DownloadOutlined />} loading={downloading} onClick={download}>
          下载证书
        </Button>
      </div>
    </>
  );
}
