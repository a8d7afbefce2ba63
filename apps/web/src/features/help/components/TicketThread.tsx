import { CustomerServiceOutlined, UserOutlined } from '@ant-design/icons';
import type { TTicketMessage } from '@cpe/shared/schemas/help';
import { Image } from 'antd';
import { formatDateTime } from '../../../shared/format';

/** A ticket's messages, oldest first: the learner's on one side, the service's on the other, screenshots inline. */
export function TicketThread({
  messages,
  fileUrl,
  mine,
}: {
  messages: TTicketMessage[];
  fileUrl: (fileId: string) => string;
  /** Whose messages sit on the right (the reader's own). */
  mine: 'learner' | 'staff';
}) {
  return (
    <ol className="cpe-help-thread" aria-label="咨询记录">
      {messages.map((m) => (
        <li
          key={m.id}
          className={`cpe-help-msg is-${m.authorType}${m.authorType === mine ? ' is-mine' : ''}`}
          data-author={m.authorType}
        >
          <div className="cpe-help-msg-meta">
            {m.authorType === 'staff' ? <CustomerServiceOutlined aria-hidden /> : <UserOutlined aria-hidden />}{' '}
            <strong>{m.authorName}</strong> <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time>
          </div>
          <div className="cpe-help-msg-body">{m.body}</div>
          {m.files.length > 0 && (
            <div className="cpe-help-msg-files">
              <Image.PreviewGroup>
                {m.files.map((f) => (
                  <Image
                    key={f.id}
                    src={fileUrl(f.id)}
                    alt={f.name ?? '截图'}
                    width={96}
                    height={96}
                    style={{ objectFit: 'cover' }}
                  />
                ))}
              </Image.PreviewGroup>
            </div>
          )}
        </li>
      ))}
    </ol>
  );
}
