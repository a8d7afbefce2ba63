import { SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import {
  CERT_STATUS_LABELS,
  type TCertVerification,
  VERIFIABLE_CERT_NO_PATTERN,
} from '@cpe/shared/schemas/certificates';
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
const FORMAT_ERROR = '编号格式不正确：合格证书为GX加12位数字，高研班结业证书为GYB加10位数字，学时证明为XS加12位数字';

/** 学时证明's facts: 年度 (a range when it spans years), 学时 in total and by category, 达标, 姓名 (masked). */
function CreditProofFacts({ d }: { d: TCertVerification }) {
  const from = d.yearFrom ?? d.year;
  return (
    <Descriptions className="cpe-verify-facts" column={1} size="small" bordered>
      <Descriptions.Item label="证明类型">{d.kindLabel}</Descriptions.Item>
      <Descriptions.Item label="姓名">{d.holderNameMasked}</Descriptions.Item>
      <Descriptions.Item label="年度">{from === d.year ? `${d.year}年度` : `${from}—${d.year}年度`}</Descriptions.Item>
      <Descriptions.Item label="总学时">{d.hours}学时</Descriptions.Item>
      <Descriptions.Item label="公需科目">{d.publicHours ?? 0}学时</Descriptions.Item>
      <Descriptions.Item label="专业科目">{d.professionalHours ?? 0}学时</Descriptions.Item>
      <Descriptions.Item label="是否达标">
        {d.met ? <Tag color="green">达标</Tag> : <Tag color="orange">未达标</Tag>}
      </Descriptions.Item>
      <Descriptions.Item label="出具日期">{day(d.issuedAt)}</Descriptions.Item>
      <Descriptions.Item label="状态">{CERT_STATUS_LABELS[d.status]}</Descriptions.Item>
    </Descriptions>
  );
}

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
  const data = result.data;
  const proof = data?.kind === 'credit-proof';

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
      <p>输入合格证书、高研班结业证书或学时证明上的编号，或使用手机扫描其上的二维码，查验真伪及状态。</p>
      <div className="cpe-verify-form">
        <Input
          size="large"
          allowClear
          placeholder="证书编号，如 GX202600012345、GYB2026000123、XS202600012345"
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
      {inputError && <Alert type="error" showIcon title={inputError} style={{ marginBottom: 16 }} />}
      {current && !valid && !inputError && <Alert type="error" showIcon title={FORMAT_ERROR} />}
      {valid && result.isPending && <Skeleton active />}
      {valid && result.isError && (
        <Result status="warning" title="未查询到证书或证明" subTitle={toApiError(result.error).message} />
      )}
      {data && (
        <Card
          title={`${proof ? '证明编号' : '证书编号'}：${data.certNo}`}
          extra={<Tag color={data.status === 'valid' ? 'green' : 'red'}>{CERT_STATUS_LABELS[data.status]}</Tag>}
        >
          {data.status === 'revoked' && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 16 }}
              title={`该${proof ? '证明' : '证书'}已撤销${data.revokedAt ? `（撤销时间：${day(data.revokedAt)}）` : ''}，不再有效`}
            />
          )}
          {proof ? (
            <CreditProofFacts d={data} />
          ) : (
            <Descriptions className="cpe-verify-facts" column={1} size="small" bordered>
              <Descriptions.Item label="证书类型">{data.kindLabel}</Descriptions.Item>
              <Descriptions.Item label="持证人">{data.holderNameMasked}</Descriptions.Item>
              {data.kind === 'seminar' ? (
                <>
                  <Descriptions.Item label="研修项目">{data.planName}</Descriptions.Item>
                  <Descriptions.Item label="举办时间">
                    {data.heldFrom} 至 {data.heldTo}
                  </Descriptions.Item>
                  <Descriptions.Item label="学时">专业科目 {data.hours}学时</Descriptions.Item>
                  <Descriptions.Item label="承办单位">{data.orgName ?? '—'}</Descriptions.Item>
                </>
              ) : (
                <>
                  <Descriptions.Item label="学习计划">{data.planName}</Descriptions.Item>
                  <Descriptions.Item label="年度">{data.year}年</Descriptions.Item>
                  <Descriptions.Item label="学时">{data.hours}学时</Descriptions.Item>
                  <Descriptions.Item label="组织机构">{data.orgName ?? '—'}</Descriptions.Item>
                </>
              )}
              <Descriptions.Item label="发证日期">{day(data.issuedAt)}</Descriptions.Item>
              <Descriptions.Item label="状态">{CERT_STATUS_LABELS[data.status]}</Descriptions.Item>
            </Descriptions>
          )}
        </Card>
      )}
    </div>
  );
}
