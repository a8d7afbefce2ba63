import { FilePdfOutlined, PaperClipOutlined } from '@ant-design/icons';
import {
  CREDIT_ENTRY_STATUS_LABELS,
  CREDIT_ENTRY_TRANSITIONS,
  type TCreditEntry,
  type TCreditEntryStatus,
  type TCreditEvent,
  type TCreditStandard,
} from '@cpe/shared/schemas/credits';
import { Descriptions, Image, Tag, Timeline } from 'antd';
import type { ReactNode } from 'react';
import { formatDateTime } from '../../shared/format';

/** The statuses the person may 撤回 from, and file again from (修改后重新提交): CREDIT_ENTRY_TRANSITIONS's. */
export const WITHDRAWABLE = Object.keys(CREDIT_ENTRY_TRANSITIONS.withdraw) as ReadonlyArray<TCreditEntryStatus>;
export const RESUBMITTABLE = Object.keys(CREDIT_ENTRY_TRANSITIONS.resubmit) as ReadonlyArray<TCreditEntryStatus>;

/** 待… blue/gold while someone has to act, green once 已认定, red when 不予认定, grey when set aside. */
const STATUS_COLORS: Record<TCreditEntryStatus, string> = {
  'pending-unit': 'processing',
  'pending-bureau': 'gold',
  confirmed: 'success',
  rejected: 'error',
  withdrawn: 'default',
  revoked: 'default',
};

export function CreditStatusTag({ status }: { status: TCreditEntryStatus }) {
  return (
    <Tag color={STATUS_COLORS[status]} className="cpe-credit-status" data-status={status}>
      {CREDIT_ENTRY_STATUS_LABELS[status]}
    </Tag>
  );
}

/** A 学时折算标准's rule as the person reads it: 每天8学时，年度上限40学时（已用16）/ 每项30学时. */
export function standardRule(s: Pick<TCreditStandard, 'basis' | 'hours' | 'yearlyCap' | 'usedThisYear'>): string {
  const base = s.basis === 'day' ? `每天${s.hours}学时` : `每项${s.hours}学时`;
  if (s.yearlyCap === null) return base;
  return `${base}，年度上限${s.yearlyCap}学时（已用${s.usedThisYear ?? 0}）`;
}

/** 2026-03-02 至 2026-03-04, one day once, or nothing for entries recorded without dates (automatic feeds). */
export function datesText(e: Pick<TCreditEntry, 'startedOn' | 'endedOn'>): string {
  if (!e.startedOn && !e.endedOn) return '';
  if (!e.startedOn || e.startedOn === e.endedOn) return e.endedOn ?? e.startedOn ?? '';
  return `${e.startedOn} 至 ${e.endedOn ?? ''}`;
}

/**
 * 证明材料: pictures shown small (click to enlarge) when `inline`, otherwise every file as a link opening in a new tab.
 * `urlOf` is the route that answers the reader (the person's own, or the unit's).
 */
export function EvidenceList({
  files,
  urlOf,
  inline = false,
}: {
  files: TCreditEntry['evidence'];
  urlOf: (fileId: string) => string;
  inline?: boolean;
}) {
  if (files.length === 0) return <span className="cpe-muted">无</span>;
  const images = inline ? files.filter((f) => f.mime.startsWith('image/')) : [];
  const links = inline ? files.filter((f) => !f.mime.startsWith('image/')) : files;
  return (
    <div className="cpe-credit-evidence">
      {images.length > 0 && (
        <Image.PreviewGroup>
          <div className="cpe-credit-evidence-images">
            {images.map((f, i) => (
              <Image
                key={f.id}
                src={urlOf(f.id)}
                alt={f.name ?? `证明材料${i + 1}`}
                width={120}
                height={90}
                style={{ objectFit: 'cover' }}
              />
            ))}
          </div>
        </Image.PreviewGroup>
      )}
      {links.length > 0 && (
        <ul className="cpe-credit-evidence-links">
          {links.map((f, i) => (
            <li key={f.id}>
              <a href={urlOf(f.id)} target="_blank" rel="noopener noreferrer">
                {f.mime === 'application/pdf' ? <FilePdfOutlined /> : <PaperClipOutlined />}{' '}
                {f.name || `证明材料${i + 1}`}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** 处理记录: who did what when, with the reason of a 退回 / 撤销. */
export function CreditHistory({ events }: { events: TCreditEvent[] }) {
  if (events.length === 0) return <span className="cpe-muted">暂无处理记录</span>;
  return (
    <Timeline
      className="cpe-credit-history"
      items={events.map((ev, i) => ({
        key: `${ev.at}-${i}`,
        color:
          ev.toStatus === 'rejected' || ev.toStatus === 'revoked'
            ? 'red'
            : ev.toStatus === 'confirmed'
              ? 'green'
              : 'blue',
        content: (
          <div className="cpe-credit-event">
            <div>
              <strong>{ev.actionLabel}</strong>
              <span className="cpe-muted"> · {ev.actorName}</span>
            </div>
            <div className="cpe-muted">{formatDateTime(ev.at)}</div>
            {ev.reason && <div className="cpe-credit-reason">原因：{ev.reason}</div>}
          </div>
        ),
      }))}
    />
  );
}

/** A 学时更正 made by staff: its reason is an explanation, not a refusal. */
export const isCorrection = (e: TCreditEntry) => e.source === 'correction';

/** What an entry's reason is: a correction's, a revocation's or a 退回's. */
function reasonLabel(e: TCreditEntry) {
  if (isCorrection(e)) return '更正原因';
  if (e.status === 'revoked') return '撤销原因';
  return '不予认定原因';
}

/**
 * An entry's particulars: where it came from, the dates, 主办单位, content, the reason, evidence and history — the same
 * on the person's 学时档案 and on the console. `evidence` is what this reader may see of a 学时登记's 证明材料.
 */
export function CreditEntryDetail({ e, evidence }: { e: TCreditEntry; evidence: ReactNode }) {
  return (
    <div className="cpe-credit-detail">
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 1, md: 2 }}
        items={[
          { key: 'source', label: '来源', children: e.sourceLabel },
          { key: 'form', label: '学习形式', children: `${e.form}（${e.categoryLabel}）` },
          ...(datesText(e) ? [{ key: 'dates', label: '起止日期', children: datesText(e) }] : []),
          ...(e.host ? [{ key: 'host', label: '主办单位', children: e.host }] : []),
          ...(e.content ? [{ key: 'content', label: '学习内容', children: e.content, span: 'filled' as const }] : []),
          ...(e.reason
            ? [
                {
                  key: 'reason',
                  label: reasonLabel(e),
                  children: <span className={isCorrection(e) ? undefined : 'cpe-credit-reason'}>{e.reason}</span>,
                  span: 'filled' as const,
                },
              ]
            : []),
          ...(e.source === 'claim'
            ? [{ key: 'evidence', label: '证明材料', children: evidence, span: 'filled' as const }]
            : []),
        ]}
      />
      <div className="cpe-credit-detail-history">
        <div className="cpe-credit-detail-title">处理记录</div>
        <CreditHistory events={e.events} />
      </div>
    </div>
  );
}
