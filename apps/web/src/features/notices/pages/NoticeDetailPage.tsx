import { PaperClipOutlined } from '@ant-design/icons';
import { Breadcrumb, Result } from 'antd';
import { Link, useParams } from 'react-router';
import { errorCode, toApiError } from '../../../shared/api/client';
import { formatDateTime } from '../../../shared/format';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { noticeAttachmentUrl, useNotice } from '../api';
import { formatSize } from '../components/format-size';
import '../notices.css';

/** 通知公告 detail (portal /notices/:id): title, time, the body the server rendered, attachments. */
export function NoticeDetailPage() {
  const { id = '' } = useParams();
  const site = useSite().data;
  const notice = useNotice(id);
  usePageTitle(notice.data?.title ?? '通知公告', site?.name);
  const crumbs = (
    <Breadcrumb
      style={{ marginBottom: 12 }}
      items={[{ title: <Link to="/">首页</Link> }, { title: <Link to="/notices">通知公告</Link> }, { title: '正文' }]}
    />
  );
  if (notice.isPending)
    return (
      <div className="cpe-notice-page">
        {crumbs}
        <p className="cpe-notice-empty">正在加载…</p>
      </div>
    );
  if (notice.isError) {
    const missing = errorCode(notice.error) === 'NOT_FOUND' || errorCode(notice.error) === 'VALIDATION_FAILED';
    return (
      <div className="cpe-notice-page">
        {crumbs}
        <Result
          status={missing ? '404' : 'error'}
          title={missing ? '通知公告不存在或已撤回' : '加载失败'}
          subTitle={missing ? undefined : toApiError(notice.error).message}
          extra={<Link to="/notices">返回通知公告</Link>}
        />
      </div>
    );
  }
  const n = notice.data;
  return (
    <div className="cpe-notice-page">
      {crumbs}
      <article className="cpe-notice-article">
        <h1>{n.title}</h1>
        <p className="cpe-notice-meta">发布时间：{formatDateTime(n.publishAt).slice(0, 16)}</p>
        {/* Rendered by the server from the allow-listed subset: every character escaped, only its own tags. */}
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: allow-list renderer output, never raw input */}
        <div className="cpe-notice-body" dangerouslySetInnerHTML={{ __html: n.html }} />
        {n.attachments.length > 0 && (
          <section className="cpe-notice-files" aria-labelledby="cpe-notice-files-title">
            <h2 id="cpe-notice-files-title">附件</h2>
            <ul className="cpe-notice-attachments">
              {n.attachments.map((a) => (
                <li key={a.id}>
                  <PaperClipOutlined />{' '}
                  <a href={noticeAttachmentUrl(n.id, a.id)} download={a.name}>
                    {a.name}
                  </a>{' '}
                  <span className="cpe-notice-muted">（{formatSize(a.size)}）</span>
                </li>
              ))}
            </ul>
          </section>
        )}
      </article>
    </div>
  );
}
