import { CloseOutlined, CustomerServiceOutlined, PhoneOutlined } from '@ant-design/icons';
import { useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useDismiss } from '../../../shared/useDismiss';
import { useHelp, useUnreadTickets } from '../api';
import { telHref } from '../tel';
import './help-panel.css';

/**
 * The side panel of every portal page (seed: 在首页侧边栏选择在线客服): a narrow tab at the right edge that opens
 * the hotlines and the 在线客服 / 常见问题 links. Plain markup (this ships with the first page); the hotlines are
 * fetched only once it is opened. Escape, the close button, a click elsewhere or a new page close it.
 */
export function HelpPanel({ signedIn }: { signedIn: boolean }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const help = useHelp(undefined, open);
  const unread = useUnreadTickets(signedIn).data?.count ?? 0;

  useDismiss(open, setOpen, root, toggle);

  const contact = help.data?.contact;
  return (
    <aside className={`cpe-help-dock${open ? ' is-open' : ''}`} ref={root} aria-label="在线客服与咨询热线">
      <button
        ref={toggle}
        type="button"
        className="cpe-help-dock-tab"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((v) => !v)}
      >
        <CustomerServiceOutlined aria-hidden />
        <span className="cpe-help-dock-tab-text">在线客服</span>
        {unread > 0 && (
          <span className="cpe-help-dock-badge" role="status">
            {unread > 99 ? '99+' : unread}
            <span className="cpe-help-sr">条新回复</span>
          </span>
        )}
      </button>
      <section id={panelId} className="cpe-help-dock-panel" hidden={!open} aria-label="咨询方式">
        <header className="cpe-help-dock-head">
          <h2>咨询方式</h2>
          <button type="button" className="cpe-help-dock-close" aria-label="收起" onClick={() => setOpen(false)}>
            <CloseOutlined aria-hidden />
          </button>
        </header>
        {help.isPending ? (
          <p className="cpe-help-dock-note">加载中…</p>
        ) : help.isError ? (
          <p className="cpe-help-dock-note">
            咨询热线加载失败，
            <button type="button" className="cpe-link-button" onClick={() => help.refetch()}>
              重试
            </button>
          </p>
        ) : (
          <ul className="cpe-help-dock-lines">
            {contact?.hotlines.map((h) => (
              <li key={`${h.topic}-${h.phone}`}>
                <div className="cpe-help-dock-topic">{h.topic}</div>
                <a className="cpe-help-dock-phone" href={telHref(h.phone)}>
                  <PhoneOutlined aria-hidden /> {h.phone}
                </a>
                {(h.hint || h.hours) && (
                  <div className="cpe-help-dock-hint">{[h.hint, h.hours].filter(Boolean).join('；')}</div>
                )}
              </li>
            ))}
          </ul>
        )}
        {contact?.onlineService && <p className="cpe-help-dock-note">{contact.onlineService}</p>}
        <div className="cpe-help-dock-actions">
          <Link className="cpe-help-dock-primary" to="/help/tickets/new">
            在线客服
          </Link>
          <Link to="/help#faq">常见问题</Link>
          {signedIn && (
            <Link to="/help/tickets">
              我的咨询
              {unread > 0 && <span className="cpe-help-dock-count">{unread}</span>}
            </Link>
          )}
        </div>
      </section>
    </aside>
  );
}
