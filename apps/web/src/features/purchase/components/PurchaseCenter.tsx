import {
  AuditOutlined,
  FileTextOutlined,
  HistoryOutlined,
  PlayCircleOutlined,
  ShoppingCartOutlined,
  ShoppingOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { Grid, Menu, Tag } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

export type CenterKey = 'orders' | 'group-orders' | 'invoices' | 'makeup';

interface NavItem {
  key: CenterKey | 'study';
  to?: string;
  label: string;
  icon: ReactNode;
}

const ITEMS: NavItem[] = [
  { key: 'orders', to: '/orders', label: '我的订单', icon: <FileTextOutlined /> },
  { key: 'group-orders', to: '/orders?kind=group', label: '团购订单', icon: <TeamOutlined /> },
  { key: 'invoices', to: '/invoices', label: '我的发票', icon: <AuditOutlined /> },
  { key: 'makeup', to: '/makeup', label: '补学申请', icon: <HistoryOutlined /> },
  { key: 'study', label: '课程培训', icon: <PlayCircleOutlined /> },
];

/**
 * The learner's centre of the 网络学习平台: the seed's left navigation (我的订单, 团购订单, 我的发票; 课程培训
 * greyed until the study pages come), the page on the right. Phones get the items as chips above it.
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
                  {m.to ? (
                    <Link
                      to={m.to}
                      className={m.key === active ? 'cpe-buy-chip is-active' : 'cpe-buy-chip'}
                      aria-current={m.key === active ? 'page' : undefined}
                    >
                      {m.icon} {m.label}
                    </Link>
                  ) : (
                    <span className="cpe-buy-chip is-disabled" aria-disabled="true">
                      {m.icon} {m.label}
                      <span className="cpe-buy-chip-soon">即将开放</span>
                    </span>
                  )}
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
                  disabled: !m.to,
                  label: m.to ? (
                    <Link to={m.to} aria-current={m.key === active ? 'page' : undefined}>
                      {m.label}
                    </Link>
                  ) : (
                    <span className="cpe-buy-menu-soon">
                      {m.label}
                      <Tag className="cpe-buy-soon-tag">即将开放</Tag>
                    </span>
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
