import {
  ApartmentOutlined,
  BankOutlined,
  ClusterOutlined,
  KeyOutlined,
  LoginOutlined,
  MobileOutlined,
  ReadOutlined,
  RightOutlined,
  SafetyCertificateOutlined,
  UserAddOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useMe, useSite } from '../features/identity/api';
import { HomeNotices } from '../features/notices/components/HomeNotices';
import { usePageTitle } from '../shared/usePageTitle';

interface Entry {
  to: string;
  icon: ReactNode;
  title: string;
  text: string;
}

/** Portal home: where a learner starts; kept light (no form code) so the first page loads fast on a phone. */
export function HomePage() {
  const site = useSite().data;
  const me = useMe().data;
  usePageTitle('首页', site?.name);

  const entries: Entry[] = me
    ? [
        { to: '/me', icon: <UserOutlined />, title: '个人中心', text: '查看个人资料，修改密码，更换手机号' },
        { to: '/me#password', icon: <KeyOutlined />, title: '修改密码', text: '定期修改密码，保护账号安全' },
        {
          to: '/units/register',
          icon: <BankOutlined />,
          title: '注册管理员',
          text: '继续教育：为所在单位注册单位管理员',
        },
        {
          to: '/unit-center',
          icon: <ApartmentOutlined />,
          title: '单位中心',
          text: '继续教育：单位信息修改、单位注册审核等',
        },
      ]
    : [
        { to: '/login', icon: <LoginOutlined />, title: '个人用户登录', text: '使用用户名、手机号码或身份证号登录' },
        {
          to: '/register',
          icon: <UserAddOutlined />,
          title: '新用户注册',
          text: '实名注册，一个身份证号码对应一个账号',
        },
        { to: '/reset', icon: <KeyOutlined />, title: '忘记密码', text: '通过绑定的手机号找回密码' },
        {
          to: '/reset/manual',
          icon: <SafetyCertificateOutlined />,
          title: '人工找回',
          text: '未绑定手机号或手机号已停用时，提交人工审核',
        },
      ];

  return (
    <div className="cpe-home">
      <section className="cpe-home-hero">
        <div className="cpe-home-hero-inner">
          {/* Its line held while the site's name loads: the page below does not jump when it arrives. */}
          <h1>{site?.name ?? '\u00a0'}</h1>
          <p>专业技术人员继续教育 · 公需科目学习 · 学时证书</p>
          <div className="cpe-home-actions">
            {me ? (
              <Link className="cpe-cta cpe-cta-primary" to="/me">
                {me.realName}，进入个人中心
              </Link>
            ) : (
              <>
                <Link className="cpe-cta cpe-cta-primary" to="/login">
                  登录
                </Link>
                <Link className="cpe-cta" to="/register">
                  注册
                </Link>
              </>
            )}
          </div>
        </div>
      </section>
      <section className="cpe-home-entries" aria-label="常用服务">
        {entries.map((e) => (
          <Link key={e.title} to={e.to} className="cpe-entry">
            <span className="cpe-entry-icon">{e.icon}</span>
            <span className="cpe-entry-title">{e.title}</span>
            <span className="cpe-entry-text">{e.text}</span>
          </Link>
        ))}
      </section>
      <HomeNotices />
      <section className="cpe-home-learning" aria-labelledby="cpe-home-learning-title">
        <h2 id="cpe-home-learning-title" className="cpe-home-learning-title">
          在线学习中心
        </h2>
        <Link to="/gxkm" className="cpe-home-learning-entry">
          <span className="cpe-home-learning-icon" aria-hidden="true">
            <ReadOutlined />
          </span>
          <span className="cpe-home-learning-text">
            <span className="cpe-home-learning-name">公需科目</span>
            <span className="cpe-home-learning-desc">
              专业技术人员继续教育公需科目网络学习：选择培训项目，个人购买或单位团体购买
            </span>
          </span>
          <RightOutlined className="cpe-home-learning-go" aria-hidden="true" />
        </Link>
        <Link
          to="/bases"
          className="cpe-home-learning-entry"
          style={{ marginTop: 12, background: 'linear-gradient(120deg, #0b6b5c, #1f9d84)' }}
        >
          <span className="cpe-home-learning-icon" aria-hidden="true">
            <ClusterOutlined />
          </span>
          <span className="cpe-home-learning-text">
            <span className="cpe-home-learning-name">继续教育基地名单</span>
            <span className="cpe-home-learning-desc">市人社局认定的继续教育基地、工程师基地及其有效期</span>
          </span>
          <RightOutlined className="cpe-home-learning-go" aria-hidden="true" />
        </Link>
        <Link
          to="/mobile-study"
          className="cpe-home-learning-entry"
          style={{ marginTop: 12, background: 'linear-gradient(120deg, #2b7a0b, #52a51f)' }}
        >
          <span className="cpe-home-learning-icon" aria-hidden="true">
            <MobileOutlined />
          </span>
          <span className="cpe-home-learning-text">
            <span className="cpe-home-learning-name">手机学习</span>
            <span className="cpe-home-learning-desc">扫码打开手机版，或关注微信公众号，在手机上购买和学习公需科目</span>
          </span>
          <RightOutlined className="cpe-home-learning-go" aria-hidden="true" />
        </Link>
      </section>
      {site && <p className="cpe-home-help">如在使用中遇到问题，请拨打咨询电话：{site.hotline}</p>}
    </div>
  );
}
