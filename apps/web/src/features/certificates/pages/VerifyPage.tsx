import { SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import { CERT_STATUS_LABELS, VERIFIABLE_CERT_NO_PATTERN } from '@cpe/shared/schemas/certificates';
import { Alert, Button, Card, Descriptions, Input, Result, Skeleton, Tag } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { toApiError } from '../../../shared/api/client';
import { formatDateTime } from '../../../shared/format';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { useVerification } from '../api';
import '../certificates.css';

const day = (iso: string) => formatDateTime(iso).slice(0, 10);
const FORMAT_ERROR = '证书编号格式不正确，应为GX加12位数字，或高研班结业证书的GYB加10位数字';

/** 证书查验 (portal /verify, no login): by 证书编号, or opened from the certificate's QR code (?no=). */
export function VerifyPage() {
  const site = useSite().data;
  usePageTitle('证书查验', site?.name);
  const [params, setParams] = useSearchParams();
  const current = params.get('no')?.trim().toUpperCase() || null;
  const [input, setInput] = useState(current ?? '');
  const [inputError, setInputError] = useState<string | null>(null);
  const valid = current && VERIFIABLE_CERT_NO_PATTERN.test(current) ? current : null;
  const result = useVerification(valid);

  const submit = () => {
    const no = input.trim().toUpperCase();
    if (!VERIFIABLE_CERT_NO_PATTERN.test(no)) {
      setInputError(FORMAT_ERROR);
      return;
    }
    setInputError(null);
    setParams({ no });
  };

  return (
    <div className="cpe-verify-page">
      <h1 className="cpe-cert-title">
        <SafetyCertificateOutlined /> 证书查验
      </h1>
      <p>输入合格证书或高研班结业证书上的证书编号，或使用手机扫描证书上的二维码，查验证书真伪及状态。</p>
      <div className="cpe-verify-form">
        <Input
          size="large"
          allowClear
          placeholder="证书编号，如 GX202600012345 或 GYB2026000123"
          value={input}
          status={inputError ? 'error' : undefined}
          onChange={(e) => setInput(e.target.value)}
          onPressEnter={submit}
          aria-label="证书编号"
          maxLength={20}
        />
        <Button size="large" type="primary" icon={<SearchOutlined />} onClick={submit}>
          查验
        </Button>
      </div>
      {inputError && <Alert type="error" showIcon message={inputError} style={{ marginBottom: 16 }} />}
      {current && !valid && !inputError && <Alert type="error" showIcon message={FORMAT_ERROR} />}
      {valid && result.isPending && <Skeleton active />}
      {valid && result.isError && (
        <Result status="warning" title="未查询到证书" subTitle={toApiError(result.error).message} />
      )}
      {result.data && (
        <Card
          title={`证书编号：${result.data.certNo}`}
          extra={
            <Tag color={result.data.status === 'valid' ? 'green' : 'red'}>{CERT_STATUS_LABELS[result.data.status]}</Tag>
          }
        >
          {result.data.status === 'revoked' && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 16 }}
              message={`该证书已撤销${result.data.revokedAt ? `（撤销时间：${day(result.data.revokedAt)}）` : ''}，不再有效`}
            />
          )}
          <Descriptions className="cpe-verify-facts" column={1} size="small" bordered>
            <Descriptions.Item label="证书类型">{result.data.kindLabel}</Descriptions.Item>
            <Descriptions.Item label="持证人">{result.data.holderNameMasked}</Descriptions.Item>
            {result.data.kind === 'seminar' ? (
              <>
                <Descriptions.Item label="研修项目">{result.data.planName}</Descriptions.Item>
                <Descriptions.Item label="举办时间">
                  {result.data.heldFrom} 至 {result.data.heldTo}
                </Descriptions.Item>
                <Descriptions.Item label="学时">专业科目 {result.data.hours}学时</Descriptions.Item>
                <Descriptions.Item label="承办单位">{result.data.orgName ?? '—'}</Descriptions.Item>
              </>
            ) : (
              <>
                <Descriptions.Item label="学习计划">{result.data.planName}</Descriptions.Item>
                <Descriptions.Item label="年度">{result.data.year}年</Descriptions.Item>
                <Descriptions.Item label="学时">{result.data.hours}学时</Descriptions.Item>
                <Descriptions.Item label="组织机构">{result.data.orgName ?? '—'}</Descriptions.Item>
              </>
            )}
            <Descriptions.Item label="发证日期">{day(result.data.issuedAt)}</Descriptions.Item>
            <Descriptions.Item label="状态">{CERT_STATUS_LABELS[result.data.status]}</Descriptions.Item>
          </Descriptions>
        </Card>
      )}
    </div>
  );
}
