import { MobileOutlined, WechatOutlined } from '@ant-design/icons';
import { Breadcrumb } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { usePageTitle } from '../../../shared/usePageTitle';
import '../study.css';
import { useSite } from '../../identity/api';

/** The address the QR code opens: this site's 公需科目 under the host the person is using now. */
const h5Url = () => `${window.location.origin}/gxkm`;

/** The QR code of the phone pages, drawn here (qrcode is loaded with this page only). */
function H5Qr({ url }: { url: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void import('qrcode').then((qr) =>
      qr.toDataURL(url, { width: 200, margin: 1, errorCorrectionLevel: 'M' }).then((d) => live && setSrc(d)),
    );
    return () => {
      live = false;
    };
  }, [url]);
  return src ? (
    <img className="cpe-mobile-qr" src={src} alt={`手机版二维码：${url}`} width={200} height={200} data-qr={url} />
  ) : (
    <div className="cpe-mobile-qr cpe-mobile-qr-empty" aria-hidden />
  );
}

/**
 * 手机学习 (seed §三(二) 移动端学习): the portal's pages work on a phone and inside WeChat; this page says how to get
 * there — the QR code of the phone pages, and the 微信公众号 (name and QR code from configuration) with the seed's
 * steps.
 */
export function MobileStudyPage() {
  const site = useSite().data;
  usePageTitle('手机学习', site?.name);
  const mp = site?.wechatMp;
  const url = h5Url();
  return (
    <div className="cpe-study-page">
      <Breadcrumb
        className="cpe-study-breadcrumb"
        items={[{ title: <Link to="/">首页</Link> }, { title: '在线学习中心' }, { title: '手机学习' }]}
      />
      <header className="cpe-study-hero">
        <h1 className="cpe-study-title">手机学习</h1>
        <p className="cpe-study-lead">
          在手机上也可以购买和学习公需科目：用手机扫码打开手机版，或通过微信公众号进入。学习进度与电脑上一致。
        </p>
      </header>
      <div className="cpe-mobile-cards">
        <section className="cpe-study-panel cpe-mobile-card" aria-labelledby="cpe-mobile-h5">
          <h2 id="cpe-mobile-h5">
            <MobileOutlined aria-hidden /> 扫码打开手机版
          </h2>
          <H5Qr url={url} />
          <p className="cpe-mobile-url">{url}</p>
          <p className="cpe-study-lead">用手机浏览器或微信“扫一扫”扫描二维码，登录后即可购买和学习。</p>
        </section>
        <section className="cpe-study-panel cpe-mobile-card" aria-labelledby="cpe-mobile-mp">
          <h2 id="cpe-mobile-mp">
            <WechatOutlined aria-hidden /> 通过微信公众号学习
          </h2>
          {mp?.qrUrl && (
            <img
              className="cpe-mobile-qr"
              src={mp.qrUrl}
              alt={`微信公众号二维码：${mp.name}`}
              width={200}
              height={200}
            />
          )}
          <ol className="cpe-mobile-steps">
            <li>
              关注微信公众号。通过搜索“{mp?.name ?? ''}”{mp?.qrUrl ? '或者扫描上方二维码' : ''}关注微信公众号。
            </li>
            <li>
              进入微信公众号选择继续教育栏目中的公需科目，进入登录页面，输入用户名及密码即可登录。登录后在首页自主选择培训项目，跳转至项目详情页点击“立即购买”，确认购买项目信息无误后使用微信支付。
            </li>
            <li>
              购买完成后，在“课程培训”页面点击“进入学习”，然后点击课程即可进入学习页面，课程播放页面中有多个章节时需学习完成每个章节才可获得学分。
            </li>
          </ol>
        </section>
      </div>
    </div>
  );
}
