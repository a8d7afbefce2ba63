import { CustomerServiceOutlined, MessageOutlined, PhoneOutlined } from '@ant-design/icons';
import { Alert, Breadcrumb, Button, Collapse, Empty, Input, Skeleton } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { toApiError } from '../../../shared/api/client';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useMe, useSite } from '../../identity/api';
import { useHelp, useUnreadTickets } from '../api';
import { telHref } from '../tel';
import '../help.css';

/** 咨询方式 (portal /help): the seed's hotlines by topic, 在线客服, and the 常见问题 with a search. */
export function HelpPage() {
  const site = useSite().data;
  usePageTitle('咨询方式', site?.name);
  const me = useMe().data;
  const navigate = useNavigate();
  const { hash } = useLocation();
  const [q, setQ] = useState('');
  const help = useHelp(q);
  const unread = useUnreadTickets(Boolean(me)).data?.count ?? 0;

  // /help#faq (the side panel's 常见问题) lands on the FAQ once it is there.
  useEffect(() => {
    if (hash === '#faq' && help.data) document.getElementById('faq')?.scrollIntoView({ block: 'start' });
  }, [hash, help.data]);

  const contact = help.data?.contact;
  const groups = help.data?.faqGroups ?? [];
  const error = help.error ? toApiError(help.error) : null;

  return (
    <div className="cpe-help-page">
      <Breadcrumb
        className="cpe-help-breadcrumb"
        items={[{ title: <Link to="/">首页</Link> }, { title: '咨询方式' }]}
      />
      <h1 className="cpe-help-title">咨询方式</h1>
      {error && (
        <Alert
          type="error"
          showIcon
          title={error.message}
          action={
            <Button size="small" onClick={() => help.refetch()}>
              重试
            </Button>
          }
          style={{ marginBottom: 16 }}
        />
      )}
      <section aria-label="咨询热线" className="cpe-help-cards">
        {help.isPending && !contact
          ? [0, 1].map((i) => (
              <div className="cpe-help-card" key={i}>
                <Skeleton active paragraph={{ rows: 2 }} />
              </div>
            ))
          : contact?.hotlines.map((h, i) => (
              <article className="cpe-help-card" key={`${h.topic}-${h.phone}`}>
                <h2 className="cpe-help-card-topic">
                  （{'一二三四五六七八九十'[i]}）{h.topic}
                </h2>
                <a className="cpe-help-card-phone" href={telHref(h.phone)} aria-label={`拨打 ${h.phone}`}>
                  <PhoneOutlined aria-hidden /> {h.phone}
                </a>
                {h.hint && <p className="cpe-help-card-hint">{h.hint}</p>}
                {h.hours && <p className="cpe-help-card-hint">服务时间：{h.hours}</p>}
              </article>
            ))}
        {contact && (
          <article className="cpe-help-card is-online">
            <h2 className="cpe-help-card-topic">（{'一二三四五六七八九十'[contact.hotlines.length]}）在线客服</h2>
            <p className="cpe-help-card-text">{contact.onlineService}</p>
            <div className="cpe-help-card-actions">
              <Button type="primary" icon={<CustomerServiceOutlined />} onClick={() => navigate('/help/tickets/new')}>
                在线客服
              </Button>
              {me && (
                <Button icon={<MessageOutlined />} onClick={() => navigate('/help/tickets')}>
                  我的咨询{unread > 0 ? `（${unread}条新回复）` : ''}
                </Button>
              )}
            </div>
          </article>
        )}
      </section>

      <section id="faq" className="cpe-help-faq" aria-labelledby="faq-title">
        <div className="cpe-help-faq-head">
          <h2 id="faq-title" className="cpe-help-section-title">
            常见问题
          </h2>
          <Input.Search
            className="cpe-help-faq-search"
            placeholder="搜索问题或解答"
            allowClear
            maxLength={50}
            enterButton="搜索"
            aria-label="搜索常见问题"
            onSearch={(v) => setQ(v.trim())}
            loading={help.isFetching && Boolean(q)}
          />
        </div>
        {help.isPending ? (
          <Skeleton active />
        ) : groups.length === 0 ? (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={q ? `没有找到与“${q}”相关的问题，可以通过在线客服咨询` : '暂无常见问题'}
          />
        ) : (
          groups.map((g) => (
            <div className="cpe-help-faq-group" key={g.topic}>
              <h3 className="cpe-help-faq-topic">{g.topic}</h3>
              <Collapse
                items={g.items.map((f) => ({
                  key: f.id,
                  label: f.question,
                  children: <div className="cpe-help-faq-answer">{f.answer}</div>,
                }))}
              />
            </div>
          ))
        )}
      </section>
    </div>
  );
}
