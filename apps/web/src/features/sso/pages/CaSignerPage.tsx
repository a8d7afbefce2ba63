import { LockOutlined, UsbOutlined } from '@ant-design/icons';
import {
  CA_SIGN_CANCELLED,
  CA_SIGN_REQUEST,
  CA_SIGN_RESULT,
  CA_SIGNER_READY,
  type TDemoCaCertificates,
} from '@cpe/shared/schemas/sso';
import { Alert, Button, Form, Input, Radio, Result, Spin } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { errorCode, toApiError } from '../../../shared/api/client';
import { formatDateTime } from '../../../shared/format';
import { PageSpin } from '../../../shared/PageSpin';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useDemoCaCertificates } from '../api';
import '../sso.css';

type DemoCertificate = TDemoCaCertificates['items'][number];
/** What the login page asked: the challenge, and the origin the answer goes back to. */
type SignRequest = { origin: string; challenge: string };

const TITLE = 'CA 证书签名程序（演示）';

function derOfPem(pem: string): Uint8Array<ArrayBuffer> {
  const b64 = pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, '');
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function base64Of(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/**
 * What the USB key does with its private key: RSASSA-PKCS1-v1_5 or ECDSA P-256 over SHA-256 of the UTF-8 text.
 * WebCrypto's ECDSA signature is r||s (IEEE P1363), which the server takes as well as DER.
 */
async function sign(cert: DemoCertificate, text: string): Promise<string> {
  const rsa = cert.keyType === 'rsa';
  const key = await crypto.subtle.importKey(
    'pkcs8',
    derOfPem(cert.privateKey),
    rsa ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } : { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['sign'],
  );
  const signature = await crypto.subtle.sign(
    rsa ? { name: 'RSASSA-PKCS1-v1_5' } : { name: 'ECDSA', hash: 'SHA-256' },
    key,
    new TextEncoder().encode(text),
  );
  return base64Of(new Uint8Array(signature));
}

/** The login page's request, once it sends one; the opener (null when the page was opened directly). */
function useSignRequest() {
  const [opener] = useState<Window | null>(() => window.opener as Window | null);
  const [request, setRequest] = useState<SignRequest | null>(null);
  useEffect(() => {
    if (!opener) return;
    const onMessage = (e: MessageEvent) => {
      if (e.source !== opener) return;
      const data = (typeof e.data === 'object' && e.data !== null ? e.data : {}) as Record<string, unknown>;
      if (data.type !== CA_SIGN_REQUEST || typeof data.challenge !== 'string' || !data.challenge) return;
      setRequest({ origin: e.origin, challenge: data.challenge.slice(0, 300) });
    };
    window.addEventListener('message', onMessage);
    // Ready carries nothing secret: any opener may know the signer is there. The challenge comes back from it.
    opener.postMessage({ type: CA_SIGNER_READY }, '*');
    return () => window.removeEventListener('message', onMessage);
  }, [opener]);
  return { opener, request };
}

function CertificateOption({ cert }: { cert: DemoCertificate }) {
  return (
    <Radio value={cert.id} className="cpe-ca-cert">
      <span className="cpe-ca-cert-label">{cert.label}</span>
      <span className="cpe-ca-cert-meta">持有人：{cert.holder}</span>
      <span className="cpe-ca-cert-meta">
        证书类型：{cert.kind === 'unit' ? '法人' : '个人'} · 算法：{cert.keyType === 'rsa' ? 'RSA' : 'ECDSA'} ·
        有效期至：
        {formatDateTime(cert.validTo).slice(0, 10)}
      </span>
    </Radio>
  );
}

/**
 * /ca-signer (demo mode): stands in for the signing program a CA ships with its USB key. The login page opens it in a
 * popup and sends the challenge; the person picks a 演示证书, types the PIN and signs; the answer (certificate and
 * signature) goes back to the page that asked, at that page's origin, and the window closes.
 */
export function CaSignerPage() {
  usePageTitle(TITLE, undefined);
  const certificates = useDemoCaCertificates();
  const { opener, request } = useSignRequest();
  const [form] = Form.useForm<{ certificateId: string; pin: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const answer = (message: Record<string, unknown>) => {
    if (opener && request && !opener.closed) opener.postMessage(message, request.origin);
    window.close();
  };

  const onFinish = async (v: { certificateId: string; pin: string }) => {
    const data = certificates.data;
    const cert = data?.items.find((c) => c.id === v.certificateId);
    if (!data || !cert || !request) return;
    if (v.pin !== data.pin) {
      form.setFields([{ name: 'pin', errors: ['PIN 码错误'] }]);
      return;
    }
    setError(null);
    if (!window.crypto?.subtle) {
      setError('浏览器未提供签名所需的 WebCrypto（页面须通过 HTTPS 打开）');
      return;
    }
    setBusy(true);
    try {
      const signature = await sign(cert, request.challenge);
      answer({ type: CA_SIGN_RESULT, certificate: cert.certificate, signature });
    } catch {
      setError('签名失败：无法读取该证书的私钥');
    } finally {
      setBusy(false);
    }
  };

  let body: ReactNode;
  if (certificates.isPending) body = <PageSpin />;
  else if (certificates.isError)
    body =
      errorCode(certificates.error) === 'NOT_FOUND' || toApiError(certificates.error).status === 404 ? (
        <Result status="info" title="演示证书仅在演示模式下提供" subTitle="请使用 CA 机构提供的签名程序和 USB Key。" />
      ) : (
        <Alert type="error" showIcon title={toApiError(certificates.error).message} />
      );
  else {
    const data = certificates.data;
    body = (
      <Form
        form={form}
        name="ca-signer"
        layout="vertical"
        requiredMark={false}
        onFinish={onFinish}
        initialValues={{ certificateId: data.items[0]?.id }}
      >
        <Form.Item label="选择证书" name="certificateId" rules={[{ required: true, message: '请选择证书' }]}>
          <Radio.Group className="cpe-ca-certs">
            {data.items.map((c) => (
              <CertificateOption key={c.id} cert={c} />
            ))}
          </Radio.Group>
        </Form.Item>
        {opener && (
          <>
            <Form.Item
              label="PIN 码"
              name="pin"
              extra={`演示 PIN：${data.pin}`}
              rules={[{ required: true, message: '请输入 PIN 码' }]}
            >
              <Input.Password
                prefix={<LockOutlined />}
                maxLength={16}
                autoComplete="off"
                inputMode="numeric"
                placeholder="请输入证书的 PIN 码"
                aria-label="PIN 码"
              />
            </Form.Item>
            {error && <Alert className="cpe-ca-signer-block" type="error" showIcon title={error} />}
            <div className="cpe-ca-signer-actions">
              <Button onClick={() => answer({ type: CA_SIGN_CANCELLED })} disabled={busy}>
                取消
              </Button>
              <Button type="primary" htmlType="submit" loading={busy} disabled={!request}>
                签名
              </Button>
            </div>
          </>
        )}
      </Form>
    );
  }

  return (
    <main className="cpe-ca-signer">
      <div className="cpe-ca-signer-card">
        <div className="cpe-ca-signer-head">
          <span className="cpe-provider cpe-provider-ca" style={{ width: 32, height: 32, fontSize: 16 }}>
            <UsbOutlined />
          </span>
          <h1>{TITLE}</h1>
        </div>
        <p className="cpe-ca-signer-intro">
          本页面代替 USB Key 配套的签名程序：实际使用时，由 CA 机构提供的签名程序读取 USB Key 中的证书，并在 USB Key
          内用私钥签名，私钥不离开 USB Key。演示模式下，演示证书及其私钥由平台提供。
        </p>
        <div className="cpe-ca-signer-block" aria-live="polite">
          {!opener ? (
            <Alert
              type="info"
              showIcon
              title="本页面由登录页面打开"
              description="请在登录页面的“其它方式登录”中选择 CA 证书，点击「读取证书并签名」，签名程序会自动打开。"
            />
          ) : request ? (
            <dl className="cpe-ca-request">
              <dt>请求网站</dt>
              <dd>{request.origin}</dd>
              <dt>签名原文</dt>
              <dd>
                <code>{request.challenge}</code>
              </dd>
            </dl>
          ) : (
            <div className="cpe-ca-progress">
              <Spin size="small" />
              <span>等待登录页面发来签名请求…</span>
            </div>
          )}
        </div>
        {body}
      </div>
    </main>
  );
}
