import {
  AuditOutlined,
  FieldTimeOutlined,
  FileTextOutlined,
  HistoryOutlined,
  PlayCircleOutlined,
  SafetyCertificateOutlined,
  ShoppingCartOutlined,
  ShoppingOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { Grid, Menu } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { LEARNING_CENTRE } from '../../../portal/learning-centre';

export type CenterKey = 'orders' | 'group-orders' | 'invoices' | 'makeup' | 'study' | 'certificates' | 'credits';

const ICONS: Record<CenterKey, ReactNode> = {
  orders: <FileTextOutlined />,
  'group-orders': <TeamOutlined />,
  invoices: <AuditOutlined />,
  makeup: <HistoryOutlined />,
  study: <PlayCircleOutlined />,
  certificates: <SafetyCertificateOutlined />,
  credits: <FieldTimeOutlined />,
};
const ITEMS = LEARNING_CENTRE.filter((m) => m.side).map((m) => ({ ...m, icon: ICONS[m.key as CenterKey] }));

/**
 * The learner's centre of the 网络学习平台: the seed's left navigation (我的订单, 团购订单, 我的发票, then 补学申请,
 * 课程培训, 我的证书, 学时档案 — one list with the header's dropdown, learning-centre.ts), the page on the right. Phones get
 * the items as chips above it.
 */
export function PurchaseCenter({ active, title, children }: { active: CenterKey; title: string; children: ReactNode }) {
  const screens = Grid.useBreakpoint();
  return (
    <div className="cpe-buy-page cpe-buy-center">
      <div className="cpe-buy-center-head">
        <h1 className="cpe-buy-title">{title}</h1>
        <Link to="/gxkm" className="cpe-buy-center-shop">
          <ShoppingCartOutlined /> 选购公需科目
        </Link>
      </div>
      <div className="cpe-buy-center-body">
        <nav className="cpe-buy-center-menu" aria-label="在线学习中心">
          {screens.lg === false ? (
            <ul className="cpe-buy-chips">
              {ITEMS.map((m) => (
                <li key={m.key}>
                  <Link
                    to={m.to}
                    className={m.key === active ? 'cpe-buy-chip is-active' : 'cpe-buy-chip'}
                    aria-current={m.key === active ? 'page' : undefined}
                  >
                    {m.icon} {m.label}
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <>
              <div className="cpe-buy-center-menu-title">
                <ShoppingOutlined /> 在线学习中心
              </div>
              <Menu
                mode="inline"
                selectedKeys={[active]}
                items={ITEMS.map((m) => ({
                  key: m.key,
                  icon: m.icon,
                  label: (
                    <Link to={m.to} aria-current={m.key === active ? 'page' : undefined}>
                      {m.label}
                    </Link>
                  ),
                }))}
              />
            </>
          )}
        </nav>
        <section className="cpe-buy-center-content">{children}</section>
      </div>
    </div>
  );
}
