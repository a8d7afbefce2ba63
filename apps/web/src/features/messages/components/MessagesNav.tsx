import { BellOutlined } from '@ant-design/icons';
import { Link, NavLink } from 'react-router';
import { useUnreadMessages } from '../api';
import './messages-nav.css';

/** "99+" past 99: the badge stays one small pill. */
const countText = (n: number) => (n > 99 ? '99+' : String(n));

function Count({ n }: { n: number }) {
  return n > 0 ? (
    <span className="cpe-msg-count" aria-hidden="true">
      {countText(n)}
    </span>
  ) : null;
}

const label = (n: number) => (n > 0 ? `消息中心，${n}条未读` : '消息中心');

/**
 * 消息 in the header (wide screens) for a signed-in person, with the unread count. Plain markup: the layout is part of
 * the first page's bundle.
 */
export function HeaderMessages() {
  const n = useUnreadMessages(true).data?.count ?? 0;
  return (
    <Link to="/messages" className="cpe-msg-link" aria-label={label(n)} title={label(n)}>
      <BellOutlined /> 消息
      <Count n={n} />
    </Link>
  );
}

/** The same entry inside the phone's 菜单 panel (hidden on wider screens, where the header shows it). */
export function MenuMessages() {
  const n = useUnreadMessages(true).data?.count ?? 0;
  return (
    <NavLink to="/messages" className="cpe-nav-item cpe-nav-messages" aria-label={label(n)}>
      <BellOutlined /> 消息中心
      <Count n={n} />
    </NavLink>
  );
}

/** A dot on the phone's 菜单 button while something is unread (the count itself is inside the panel). */
export function MenuUnreadDot() {
  const n = useUnreadMessages(true).data?.count ?? 0;
  return n > 0 ? <span className="cpe-msg-dot" role="img" aria-label={`${n}条未读消息`} /> : null;
}
